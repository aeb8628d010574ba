package dockercfg

import (
	"sort"
)

// Found is one credential the kubelet would try for an image: an entry of
// the Secret-th config passed to Lookup.
type Found struct {
	Secret int
	Credential
}

// Usable reports whether the entry carries anything to log in with. An entry
// written by a docker CLI that keeps credentials in a store ("credsStore",
// "credHelpers") is an empty object: the kubelet still tries it, as an
// anonymous pull.
func (c Credential) Usable() bool {
	return c.Username != "" || c.Password != "" || c.IdentityToken != "" || c.RegistryToken != ""
}

// Lookup returns every credential of configs (the pull secrets of a pod, in
// the pod's order) that matches an image in registryHost and repository, in
// the order the kubelet tries them: its keyring merges the secrets' auths
// keys, tries them in reverse lexical order of their normalized form (so a
// key with a path comes before its bare host, "us.icr.io" before "*.icr.io"),
// and a key present in several secrets in the secrets' order. Docker Hub's
// "index.docker.io" key is the fallback when nothing else matches. Matching
// rules are those of Config.Match.
func Lookup(configs []*Config, registryHost, repository string) []Found {
	if registryHost == dockerHubLegacy {
		registryHost = dockerHubHost
	}
	image := registryHost
	if repository != "" {
		image += "/" + repository
	}
	type keyed struct {
		key string
		Found
	}
	var all []keyed
	for i, c := range configs {
		if c == nil {
			continue
		}
		for _, cred := range c.Entries {
			if key, ok := normalizeKey(cred.Key); ok {
				all = append(all, keyed{key, Found{Secret: i, Credential: cred}})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].key > all[j].key })
	var out []Found
	for _, k := range all {
		if urlsMatch(k.key, image) {
			out = append(out, k.Found)
		}
	}
	if len(out) > 0 || registryHost != dockerHubHost {
		return out
	}
	for _, k := range all {
		if k.key == dockerHubDefault {
			out = append(out, k.Found)
		}
	}
	return out
}
