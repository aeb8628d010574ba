package ibmcloud

import "github.com/pullcheck/pullcheck/diagnose/icr"

// pullAction is the IAM action a registry pull needs.
const pullAction = "container-registry.image.pull"

// registryService is the IAM service name of Container Registry.
const registryService = "container-registry"

// policy is an IAM access policy reduced to what the pull decision needs.
type policy struct {
	id  string
	via string
	// usable is false for deleted and authorization policies.
	usable bool
	attrs  []attribute
	roles  []string
	// conditional is true when a rule (time- or attribute-based condition)
	// or access tags narrow the policy in ways a lookup cannot evaluate.
	conditional bool
}

// attribute is one resource attribute of a policy.
type attribute struct {
	key, op string
	value   any
}

// decide applies the matching rules to every policy: a policy grants a pull
// when all its resource attributes match the namespace and one of its roles
// carries the pull action. Policies are additive, so one is enough.
func decide(s PullScope, pols []policy, roles roleSet) *Access {
	target := targetAttrs(s)
	acc := &Access{Considered: len(pols), RolesAssumed: roles.assumed}
	for _, p := range pols {
		if !p.usable || !p.applies(target) {
			continue
		}
		var granted []string
		for _, r := range p.roles {
			if name, ok := roles.pulls(r); ok {
				granted = append(granted, name)
			}
		}
		switch {
		case len(granted) == 0:
		case p.conditional:
			acc.Conditional = true
		default:
			acc.Granting = append(acc.Granting, PolicyRef{ID: p.id, Via: p.via, Roles: granted})
		}
	}
	acc.Allowed = len(acc.Granting) > 0
	return acc
}

// targetAttrs describes the registry namespace as the IAM resource
// attributes a policy can name. The registry is an IAM-enabled service, so
// "serviceType: service" (all IAM-enabled services) covers it; the global
// registry is also addressed as "geography: global".
func targetAttrs(s PullScope) map[string]string {
	region := s.Region
	if d, ok := icr.ByRegion(region); ok {
		region = d.Region
	}
	t := map[string]string{
		"accountId":    s.AccountID,
		"serviceName":  registryService,
		"serviceType":  "service",
		"region":       region,
		"resourceType": "namespace",
		"resource":     s.Namespace,
	}
	if region == "global" {
		t["geography"] = "global"
	}
	if s.ResourceGroup != "" {
		t["resourceGroupId"] = s.ResourceGroup
	}
	return t
}

// applies reports whether every resource attribute of p matches target. An
// attribute target does not have (an unknown key, or resourceGroupId when
// the namespace's group is unknown) fails unless its operator is
// stringExists:false. The policy must name the account and a service, a
// service type or a resource group; anything else is not a registry policy.
func (p policy) applies(target map[string]string) bool {
	var account, scoped bool
	for _, a := range p.attrs {
		switch a.key {
		case "accountId":
			account = true
		case "serviceName", "serviceType", "resourceGroupId":
			scoped = true
		}
		actual, present := target[a.key]
		if !matchAttr(a.op, a.value, actual, present) {
			return false
		}
	}
	return account && scoped
}

// matchAttr evaluates one IAM attribute operator against the target value.
func matchAttr(op string, value any, actual string, present bool) bool {
	switch op {
	case "stringEquals", "":
		return present && actual == str(value)
	case "stringMatch":
		return present && wildcard(str(value), actual)
	case "stringEqualsAnyOf", "stringMatchAnyOf":
		vs, _ := value.([]any)
		for _, v := range vs {
			if present && (actual == str(v) || op == "stringMatchAnyOf" && wildcard(str(v), actual)) {
				return true
			}
		}
		return false
	case "stringExists":
		want := value == true || value == "true"
		return present == want
	default:
		return false
	}
}

// wildcard matches s against an IAM stringMatch pattern, where "*" matches
// any run of characters and "?" exactly one.
func wildcard(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
