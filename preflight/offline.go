package preflight

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// OfflineSecret is the name the docker config's credentials go by in an
// offline preflight's evidence.
const OfflineSecret = "docker-config"

// offline is how an offline Checker pulls: with the docker config, listed
// as the pod's one pull secret, or anonymously.
type offline struct {
	secret string
}

// OfflineChecks are the findings an offline preflight decides: the image
// reference and its domain, and the registry probed with the docker
// config's credentials. They need neither a cluster nor IBM Cloud.
var OfflineChecks = []diagnose.FindingID{
	diagnose.PodNotFound, diagnose.PodPullingOK, diagnose.ImageReferenceInvalid, diagnose.RegistryDomainDeprecated,
	diagnose.RegistryUnreachable, diagnose.RegistryRateLimited, diagnose.PullSecretMalformed, diagnose.PullSecretWrongRegistry,
	diagnose.CredentialKind, diagnose.RegistryLoginFailed, diagnose.PrivateNetworkOnly, diagnose.RegistryAccessDenied,
	diagnose.ImageRepositoryNotFound, diagnose.ImageTagNotFound, diagnose.ImagePlatformMismatch,
}

// OfflineOptions configure NewOffline.
type OfflineOptions struct {
	// DockerConfig is the content of a docker config.json whose
	// credentials the registry probes send; nil pulls anonymously.
	DockerConfig []byte
	// Transport reaches the registries; nil is http.DefaultTransport.
	Transport http.RoundTripper
	// Platforms are the node platforms of pods whose node selector names
	// none; nil assumes linux/amd64.
	Platforms []string
	// Timeout bounds each diagnosis (0: none).
	Timeout time.Duration
	// Logger receives tool errors; Now is the clock (tests).
	Logger *slog.Logger
	Now    func() time.Time
}

// NewOffline returns a Checker for m that reads no cluster and calls no
// IBM Cloud API: it parses each image reference, judges its domain, and
// probes the registry with the docker config's credentials.
func NewOffline(m *Manifests, o OfflineOptions) (*Checker, error) {
	off := &offline{}
	if o.DockerConfig != nil {
		if err := validDockerConfig(o.DockerConfig); err != nil {
			return nil, err
		}
		off.secret = OfflineSecret
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	eng := diagnose.New(diagnose.Options{
		Kube:     fake.NewClientset(offlineObjects(m, o.DockerConfig)...),
		Registry: registry.New(o.Transport),
		IBM:      ibmcloud.New(ibmcloud.DefaultEndpoints(), &http.Client{Transport: noIBM{}}, ""),
		Logger:   o.Logger,
		Now:      o.Now,
		Checks:   offlineChecks(),
	})
	c := NewChecker(eng, nil, WithPlatforms(o.Platforms), WithTimeout(o.Timeout))
	c.offline = off
	return c, nil
}

// offlineChecks is the chain cut down to OfflineChecks, in catalogue order.
func offlineChecks() []diagnose.Check {
	var checks []diagnose.Check
	for _, c := range diagnose.Catalogue {
		if contains(findingNames(OfflineChecks), string(c.ID())) {
			checks = append(checks, c)
		}
	}
	return checks
}

func findingNames(ids []diagnose.FindingID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// offlineObjects are the stand-in cluster of an offline preflight: every
// namespace the containers use, its default service account, and the
// docker config as a pull secret.
func offlineObjects(m *Manifests, dockerConfig []byte) []runtime.Object {
	seen := map[string]bool{}
	for _, c := range m.Containers {
		seen[c.Namespace] = true
	}
	names := make([]string, 0, len(seen))
	for ns := range seen {
		names = append(names, ns)
	}
	sort.Strings(names)
	var objs []runtime.Object
	for _, ns := range names {
		objs = append(objs, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}},
			&corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "default"}})
		if dockerConfig != nil {
			objs = append(objs, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: OfflineSecret},
				Type: corev1.SecretTypeDockerConfigJson, Data: map[string][]byte{corev1.DockerConfigJsonKey: dockerConfig}})
		}
	}
	return objs
}

// validDockerConfig checks that b is a docker config.json; its message
// never quotes the content.
func validDockerConfig(b []byte) error {
	var cfg struct {
		Auths map[string]json.RawMessage `json:"auths"`
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("not a docker config.json: invalid JSON at byte %d", se.Offset)
		}
		return errors.New(`not a docker config.json: expected {"auths": {"<registry>": {…}}}`)
	}
	if cfg.Auths == nil {
		return errors.New(`not a docker config.json: no "auths" (credentials in a credential store are not read)`)
	}
	return nil
}

// noIBM refuses every request: an offline preflight calls no IBM Cloud API.
type noIBM struct{}

func (noIBM) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return nil, fmt.Errorf("offline: no call to %s", r.URL.Host)
}
