package cloud

import (
	"path"
	"slices"
)

// Role CRNs as IAM returns them.
const (
	roleViewer        = "crn:v1:bluemix:public:iam::::role:Viewer"
	roleOperator      = "crn:v1:bluemix:public:iam::::role:Operator"
	roleEditor        = "crn:v1:bluemix:public:iam::::role:Editor"
	roleAdministrator = "crn:v1:bluemix:public:iam::::role:Administrator"
	roleReader        = "crn:v1:bluemix:public:iam::::serviceRole:Reader"
	roleWriter        = "crn:v1:bluemix:public:iam::::serviceRole:Writer"
	roleManager       = "crn:v1:bluemix:public:iam::::serviceRole:Manager"
)

// Services that are "account management" services (serviceType
// platform_service); everything else is an IAM-enabled service.
var platformServices = []string{"iam-identity", "iam-access-management", "iam-groups"}

// role is one entry of the container-registry role catalogue.
type role struct {
	Name, CRN, Description string
	Actions                []string
}

const crPrefix = "container-registry."

func crActions(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = crPrefix + n
	}
	return out
}

// registryServiceRoles follow the Registry docs' "Access roles for using
// Container Registry" table: every service role can pull.
var registryServiceRoles = []role{
	{"Reader", roleReader, "As a reader, you can perform read-only actions within a service such as viewing service-specific resources.",
		crActions("image.pull", "image.list", "image.inspect", "namespace.list", "quota.get", "settings.get", "retention.get")},
	{"Writer", roleWriter, "As a writer, you have permissions beyond the reader role, including creating and editing service-specific resources.",
		crActions("image.pull", "image.push", "image.tag", "quota.get", "settings.get")},
	{"Manager", roleManager, "As a manager, you have permissions beyond the writer role to complete privileged actions as defined by the service.",
		crActions("image.pull", "image.push", "image.tag", "image.delete", "image.list", "image.inspect",
			"namespace.list", "namespace.create", "namespace.delete", "quota.get", "quota.set",
			"plan.get", "plan.set", "auth.get", "auth.set", "settings.get", "settings.set",
			"retention.get", "retention.set", "trash.list", "trash.restore")},
}

// registrySystemRoles are the platform roles; none of them can pull.
var registrySystemRoles = []role{
	{"Viewer", roleViewer, "As a viewer, you can view service instances, but you can't modify them.", []string{"iam.policy.read"}},
	{"Operator", roleOperator, "As an operator, you can perform platform actions required to configure and operate service instances.", []string{"iam.policy.read"}},
	{"Editor", roleEditor, "As an editor, you can perform all platform actions except for managing the account and assigning access policies.", []string{"iam.policy.read"}},
	{"Administrator", roleAdministrator, "As an administrator, you can perform all platform actions based on the resource this role is being assigned, including assigning access policies to other users.",
		[]string{"iam.policy.read", "iam.policy.create", "iam.policy.update", "iam.policy.delete"}},
}

// target describes the resource a request touches, in policy attribute terms.
func target(account, service string, attrs ...string) map[string]string {
	t := map[string]string{"accountId": account, "serviceName": service, "serviceType": "service"}
	if slices.Contains(platformServices, service) {
		t["serviceType"] = "platform_service"
	}
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] != "" {
			t[attrs[i]] = attrs[i+1]
		}
	}
	return t
}

// grantedRoles returns the role CRNs that policies give iamID on the target,
// directly or through access groups it belongs to.
func (c *Cloud) grantedRoles(iamID string, t map[string]string) []string {
	if iamID == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	groups := map[string]bool{}
	for _, g := range c.groups {
		if slices.Contains(g.Members, iamID) {
			groups[g.ID] = true
		}
	}
	var roles []string
	for _, p := range c.policies {
		subject := p.SubjectIAMID == iamID || (p.AccessGroupID != "" && groups[p.AccessGroupID])
		if subject && (p.AccountID == "" || p.AccountID == t["accountId"]) && p.applies(t) {
			roles = append(roles, p.Roles...)
		}
	}
	return roles
}

// applies reports whether every resource attribute of p matches the target.
func (p Policy) applies(t map[string]string) bool {
	for k, want := range p.Resource {
		got, ok := t[k]
		if !ok || !matchValue(p.Operators[k], want, got) {
			return false
		}
	}
	return true
}

func matchValue(op, want, got string) bool {
	if op == "stringMatch" {
		// path.Match treats '*' as any run of non-'/' bytes; targets hold no '/'.
		ok, err := path.Match(want, got)
		return err == nil && ok
	}
	return want == got
}

// hasAnyRole reports whether roles contains one of want, or anything when
// want is empty.
func hasAnyRole(roles []string, want ...string) bool {
	if len(want) == 0 {
		return len(roles) > 0
	}
	for _, r := range roles {
		if slices.Contains(want, r) {
			return true
		}
	}
	return false
}

// allowsRegistry reports whether roles include a container-registry role
// whose actions contain the action ("image.pull", "quota.get", …).
func allowsRegistry(roles []string, action string) bool {
	for _, r := range slices.Concat(registryServiceRoles, registrySystemRoles) {
		if slices.Contains(roles, r.CRN) && slices.Contains(r.Actions, crPrefix+action) {
			return true
		}
	}
	return false
}
