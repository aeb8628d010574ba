package pullerr

import "strings"

// phrases is the one table. Its order is the precedence: the first phrase
// found in a message names the class. Phrases are lower case and match whole
// words (see containsWords). A row of class Unknown ends the search too: its
// phrase marks a message that is no registry's answer, though a later phrase
// ("not found", "denied") occurs in it.
var phrases = []struct {
	phrase string
	class  Class
}{
	// The kubelet's own verdicts, reached before any runtime call. They quote
	// the image name, which may hold any word of the rows below.
	{"is not present with pull policy of never", NeverPull},
	{"failed to apply default image tag", InvalidName},
	{"couldn't parse image name", InvalidName},
	{"couldn't parse image reference", InvalidName},
	{"invalid reference format", InvalidName},
	// Container-config errors share the "Failed" event reason with pull
	// errors but end in "not found" about something else.
	{`secret "`, Unknown},
	{`configmap "`, Unknown},

	// icr.io answers 403 DENIED for the quotas and the private-only account
	// too; only the wording tells them from a plain denial. The wording
	// varies, so these are phrases, not sentences.
	{"traffic quota", TrafficQuota},
	{"storage quota", StorageQuota},
	{"private-only access is enabled", PrivateOnly},
	{"over the private network", PrivateOnly},
	// A rate limit is no denial either, whatever status carries it.
	{"toomanyrequests", RateLimited},
	{"429 too many requests", RateLimited},
	{"too many requests", RateLimited},
	{"pull rate limit", RateLimited},

	// The node failed after the registry answered.
	{"no space left on device", DiskFull},

	// containerd's platform mismatch ends in "not found".
	{"no match for platform in manifest", Platform},
	{"no matching manifest for", Platform},
	{"no image found in manifest list for architecture", Platform},
	{"no image found in image index for architecture", Platform},

	// A failed lookup ("dial tcp: lookup host on 10.0.0.10:53: …") may end
	// in a timeout, a refusal or no route, all of which are DNS's.
	{"dial tcp: lookup", NetworkDNS},
	{"no such host", NetworkDNS},
	{"server misbehaving", NetworkDNS},
	{"temporary failure in name resolution", NetworkDNS},

	// Before the TLS rows: a handshake timeout is a timeout.
	{"tls handshake timeout", NetworkTimeout},
	{"i/o timeout", NetworkTimeout},
	{"context deadline exceeded", NetworkTimeout},
	{"client.timeout exceeded", NetworkTimeout},
	{"timeout awaiting response headers", NetworkTimeout},
	{"connection timed out", NetworkTimeout},
	{"connection refused", NetworkRefused},
	{"connection reset by peer", NetworkReset},
	{"unexpected eof", NetworkReset},
	{": eof", NetworkReset},
	{"no route to host", NetworkUnreachable},
	{"network is unreachable", NetworkUnreachable},
	{"x509:", TLS},
	{"tls:", TLS},
	{"server gave http response to https client", TLS},

	// A pull meets the login before the authorisation, so a message that
	// says both (CRI-O lists every error of Docker Hub's answer) is about
	// the credentials.
	{"401 unauthorized", Unauthorized},
	{"unauthorized", Unauthorized},
	{"authentication required", Unauthorized},
	{"authorization required", Unauthorized},
	{"no basic auth credentials", Unauthorized},
	{"invalid username/password", Unauthorized},
	{"error occurred when authenticating your request", Unauthorized},
	{"not authorized to complete this operation", Unauthorized},
	{"403 forbidden", Denied},
	{"pull access denied", Denied},
	{"insufficient_scope", Denied},
	{"insufficient scope", Denied},
	{"not authorized to access", Denied},
	// Google's registries say "denied: Permission denied for …"; any other
	// "permission denied" is the node's file system, not the registry.
	{"denied: permission", Denied},
	{"permission denied", Unknown},
	{"denied", Denied},

	// containerd's broken local snapshot chain ends in "not found" too.
	{"parent snapshot", Unknown},
	{"name unknown", RepositoryNotFound},
	{"repository name not known", RepositoryNotFound},
	{"manifest unknown", NotFound},
	{"not found", NotFound},

	// Last: it only names the class when the message gives no cause.
	{"back-off pulling image", BackOff},
}

// Classify names the cause msg states, Unknown when none. For an aggregate
// message (see Split) it returns the first part's class that is neither
// Unknown nor BackOff, else BackOff if any part is BackOff, else Unknown.
func Classify(msg string) Class {
	rest, backOff := cause(msg)
	for _, part := range Split(rest) {
		switch c := match(part); c {
		case Unknown:
		case BackOff:
			backOff = true
		default:
			return c
		}
	}
	if backOff {
		return BackOff
	}
	return Unknown
}

// match returns the class of the first phrase of the table in msg.
func match(msg string) Class {
	m := strings.Join(strings.Fields(strings.ToLower(msg)), " ")
	for _, p := range phrases {
		if containsWords(m, p.phrase) {
			return p.class
		}
	}
	return Unknown
}

// containsWords reports whether phrase occurs in m as whole words: an end of
// the phrase that is a letter or digit must not continue a word, a path or a
// host name. That keeps "denied" in "us.icr.io/team/denied-app" and "eof" in
// "geoff" from stating anything.
func containsWords(m, phrase string) bool {
	for i := 0; i < len(m); {
		j := strings.Index(m[i:], phrase)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(phrase)
		if (!isWord(phrase[0]) || start == 0 || !joinsBefore(m[start-1])) &&
			(!isWord(phrase[len(phrase)-1]) || end == len(m) || !joinsAfter(m, end)) {
			return true
		}
		i = start + 1
	}
	return false
}

func isWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_'
}

// joinsBefore reports whether b, just before a phrase, makes it part of a
// longer name.
func joinsBefore(b byte) bool {
	return isWord(b) || b == '-' || b == '/' || b == '.' || b >= 0x80
}

// joinsAfter reports whether m[i], just after a phrase, makes it part of a
// longer name. A dot joins only when a name goes on after it, so that a
// sentence may end with the phrase.
func joinsAfter(m string, i int) bool {
	b := m[i]
	if b == '.' {
		return i+1 < len(m) && isWord(m[i+1])
	}
	return isWord(b) || b == '-' || b == '/' || b >= 0x80
}

// eventLeads start the kubelet's event and waiting messages for a failed
// pull. Only with them removed does an aggregate stand alone for Split.
var eventLeads = []struct {
	lead    string
	backOff bool
}{
	{`failed to pull image "`, false},
	{`back-off pulling image "`, true},
}

// cause returns the runtime's error inside a kubelet message: what follows
// `Failed to pull image "ref": ` or, since Kubernetes 1.32,
// `Back-off pulling image "ref": ErrImagePull: `. Other messages are returned
// whole. backOff reports a back-off lead-in.
func cause(msg string) (rest string, backOff bool) {
	for _, l := range eventLeads {
		if len(msg) < len(l.lead) || !strings.EqualFold(msg[:len(l.lead)], l.lead) {
			continue
		}
		// The kubelet quotes the reference with %q, so `": ` ends it.
		_, rest, ok := strings.Cut(msg[len(l.lead):], `": `)
		if !ok {
			return msg, l.backOff
		}
		return trimReason(rest), l.backOff
	}
	return msg, false
}

// trimReason drops a leading waiting reason such as "ErrImagePull: ". A
// reason is CamelCase, which keeps registry codes like "unauthorized: " and
// sentences like "Error reading manifest" in place.
func trimReason(s string) string {
	word, rest, ok := strings.Cut(s, ": ")
	if !ok || word == "" || word[0] < 'A' || word[0] > 'Z' {
		return s
	}
	upper := 0
	for i := 0; i < len(word); i++ {
		switch b := word[i]; {
		case b >= 'A' && b <= 'Z':
			upper++
		case b < 'a' || b > 'z':
			return s
		}
	}
	if upper < 2 {
		return s
	}
	return rest
}
