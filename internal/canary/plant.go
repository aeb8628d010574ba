package canary

import (
	"bytes"
	"strings"
	"sync"

	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// Plant adds to w a namespace "canary" with pull secrets holding canary
// credentials (an API key, a password, a bearer token) and pods that use
// them all. It returns the pods ("canary/<pod>") and every secret of w to
// look for: pullcheck's and the cluster's keys and the canaries, each with
// the "auth" its docker config carries.
func Plant(w *sandbox.World) (pods, secrets []string) {
	w.Namespace("canary", sandbox.NamespaceSetup{})
	creds := []struct{ secret, user, password, host string }{
		{"keys", "iamapikey", "canary-apikey-0123456789abcdef", "us.icr.io"},
		{"pass", "someone", "canary-password-0123456789", "de.icr.io"},
		{"bearer", "iambearer", "canary-bearer-0123456789", "jp.icr.io"},
	}
	secrets = []string{w.BotKey, w.ClusterKey, Login("iamapikey", w.ClusterKey)}
	for _, c := range creds {
		w.PullSecret("canary", c.secret, sandbox.DockerConfig(c.user, c.password, c.host))
		secrets = append(secrets, c.password, Login(c.user, c.password))
	}
	for _, c := range creds {
		pods = append(pods, "canary/"+w.Deploy(sandbox.Workload{Namespace: "canary", Name: "c" + strings.Split(c.host, ".")[0],
			Image: c.host + "/shop/web:1.0", PodSecrets: []string{"keys", "pass", "bearer"}, Reason: "ImagePullBackOff", Kubelet: "401 Unauthorized"}))
	}
	return pods, secrets
}

// Buffer is a log sink that goroutines may write to while a test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
