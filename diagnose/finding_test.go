package diagnose_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	d "github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/diagnose/sandbox/cloud"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/findings")

// findingCase drives one finding to one status. The whole Result is compared
// with testdata/findings/<id>/<name>.json (reviewed by hand; -update rewrites).
type findingCase struct {
	id       d.FindingID
	name     string
	scenario string
	status   d.Status
	noBotKey bool
	// mutate changes the world after the scenario is built.
	mutate func(w *sandbox.World)
	// build replaces the scenario: it returns the namespace and pod.
	build func(w *sandbox.World) (string, string)
}

var findingCases = []findingCase{
	{id: d.PodNotFound, name: "fail", scenario: "ghost", status: d.Fail},
	{id: d.PodNotFound, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PodNotFound, name: "warn-admission", scenario: "signed", status: d.Warn},
	{id: d.ImageAdmissionDenied, name: "fail", scenario: "signed", status: d.Fail},
	{id: d.ImageAdmissionDenied, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PodPullingOK, name: "warn", scenario: "shop", status: d.Warn},
	{id: d.PodPullingOK, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.ImageReferenceInvalid, name: "fail", scenario: "typo", status: d.Fail},
	{id: d.ImageReferenceInvalid, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.ImagePullPolicyNever, name: "fail", scenario: "never", status: d.Fail},
	{id: d.ImagePullPolicyNever, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.RegistryDomainDeprecated, name: "fail", scenario: "legacy", status: d.Fail},
	{id: d.RegistryDomainDeprecated, name: "warn", status: d.Warn, build: func(w *sandbox.World) (string, string) {
		w.Namespace("legacy-ok", sandbox.NamespaceSetup{})
		w.PullSecret("legacy-ok", "both", sandbox.DockerConfig("iamapikey", w.ClusterKey, "us.icr.io", "registry.ng.bluemix.net"))
		return "legacy-ok", w.Deploy(sandbox.Workload{Namespace: "legacy-ok", Name: "web", Image: "registry.ng.bluemix.net/shop/web:1.0", PodSecrets: []string{"both"}})
	}},
	{id: d.RegistryDomainDeprecated, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.RegistryUnreachable, name: "fail", scenario: "onprem", status: d.Fail},
	{id: d.RegistryUnreachable, name: "inconclusive", status: d.Inconclusive, build: func(w *sandbox.World) (string, string) {
		w.Namespace("private-reg", sandbox.NamespaceSetup{})
		return "private-reg", w.Deploy(sandbox.Workload{Namespace: "private-reg", Name: "web", Image: sandbox.UnreachableHost + "/web:1", Reason: "ImagePullBackOff"})
	}},
	{id: d.RegistryUnreachable, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.RegistryUnreachable, name: "fail-node-only", scenario: "edge", status: d.Fail},
	{id: d.RegistryRateLimited, name: "fail", scenario: "hub", status: d.Fail},
	{id: d.RegistryRateLimited, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.ClusterPullSecretMissing, name: "fail", scenario: "fresh", status: d.Fail},
	{id: d.ClusterPullSecretMissing, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PullSecretNotCopied, name: "fail", scenario: "team-a", status: d.Fail},
	{id: d.PullSecretNotCopied, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.ServiceAccountNotPatched, name: "fail", scenario: "team-b", status: d.Fail},
	{id: d.ServiceAccountNotPatched, name: "pass", scenario: "team-c", status: d.Pass},
	{id: d.PodPredatesServiceAccountPatch, name: "fail", scenario: "team-c", status: d.Fail},
	{id: d.PodPredatesServiceAccountPatch, name: "pass", scenario: "team-b", status: d.Pass},
	{id: d.NoPullSecret, name: "fail", scenario: "ci", status: d.Fail},
	{id: d.NoPullSecret, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PullSecretMissing, name: "fail", scenario: "team-d", status: d.Fail},
	{id: d.PullSecretMissing, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PullSecretMalformed, name: "fail", scenario: "team-e", status: d.Fail},
	{id: d.PullSecretMalformed, name: "fail-opaque", status: d.Fail, build: func(w *sandbox.World) (string, string) {
		w.Namespace("opaque", sandbox.NamespaceSetup{})
		w.Secret("opaque", "creds", corev1.SecretTypeOpaque, map[string][]byte{"password": []byte("canary-password-opaque")})
		return "opaque", w.Deploy(sandbox.Workload{Namespace: "opaque", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"creds"}, Reason: "ImagePullBackOff"})
	}},
	{id: d.PullSecretMalformed, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PullSecretMalformed, name: "fail-empty-entry", scenario: "laptop", status: d.Fail},
	{id: d.PullSecretWrongRegistry, name: "fail", scenario: "team-f", status: d.Fail},
	{id: d.PullSecretWrongRegistry, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.CredentialKind, name: "fail", scenario: "old-app", status: d.Fail},
	{id: d.CredentialKind, name: "warn", scenario: "tokens", status: d.Warn},
	{id: d.CredentialKind, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.APIKeyInvalid, name: "fail", scenario: "rotated", status: d.Fail},
	{id: d.APIKeyInvalid, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.APIKeyInvalid, name: "fail-every-credential", scenario: "all-dead", status: d.Fail},
	{id: d.APIKeyInvalid, name: "pass-later-credential", scenario: "fallback", status: d.Pass},
	{id: d.APIKeyDisabled, name: "fail", scenario: "frozen", status: d.Fail},
	{id: d.APIKeyDisabled, name: "fail-expired", status: d.Fail, build: func(w *sandbox.World) (string, string) {
		past := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
		key, _ := w.ServiceIDKey(sandbox.ClusterAccount, "expired-puller", func(k *cloud.APIKey) { k.ExpiresAt = &past })
		w.Namespace("expired", sandbox.NamespaceSetup{})
		w.PullSecret("expired", "icr-key", sandbox.DockerConfig("iamapikey", key, "us.icr.io"))
		return "expired", w.Deploy(sandbox.Workload{Namespace: "expired", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"icr-key"}, Reason: "ImagePullBackOff"})
	}},
	{id: d.APIKeyDisabled, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.RegistryLoginFailed, name: "fail", scenario: "tokens", status: d.Fail},
	{id: d.RegistryLoginFailed, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.RegistryLoginFailed, name: "warn-dead-first-credential", scenario: "fallback", status: d.Warn},
	{id: d.ImageInOtherAccount, name: "fail", scenario: "partner", status: d.Fail},
	{id: d.ImageInOtherAccount, name: "pass", scenario: "restricted", status: d.Pass},
	{id: d.ServiceIDMissingReaderRole, name: "fail", scenario: "analytics", status: d.Fail},
	{id: d.ServiceIDMissingReaderRole, name: "inconclusive-no-key", scenario: "analytics", status: d.Inconclusive, noBotKey: true},
	{id: d.ServiceIDMissingReaderRole, name: "pass", scenario: "restricted", status: d.Pass},
	{id: d.PrivateNetworkOnly, name: "fail", scenario: "vault", status: d.Fail},
	{id: d.PrivateNetworkOnly, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PrivateNetworkOnly, name: "pass-private-only-cluster", scenario: "private-cluster", status: d.Pass},
	{id: d.RegistryAccessDenied, name: "fail", scenario: "restricted", status: d.Fail},
	{id: d.RegistryAccessDenied, name: "inconclusive-no-key", scenario: "restricted", status: d.Inconclusive, noBotKey: true},
	{id: d.RegistryAccessDenied, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.RegistryAccessDenied, name: "skip-other-region", scenario: "euro", status: d.Skip},
	{id: d.ImageInOtherRegion, name: "fail", scenario: "euro", status: d.Fail},
	{id: d.ImageInOtherRegion, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.ImageRepositoryNotFound, name: "fail", scenario: "shop-typo", status: d.Fail},
	{id: d.ImageRepositoryNotFound, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.ImageTagNotFound, name: "fail", scenario: "shop", status: d.Fail},
	{id: d.ImageTagNotFound, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.ImageTagNotFound, name: "fail-later-credential", scenario: "fallback", status: d.Fail},
	{id: d.ImageTagNotFound, name: "fail-private-only-cluster", scenario: "private-cluster", status: d.Fail},
	{id: d.ImagePlatformMismatch, name: "fail", scenario: "batch", status: d.Fail},
	{id: d.ImagePlatformMismatch, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.NodeDiskPressure, name: "fail", scenario: "full-disk", status: d.Fail},
	{id: d.NodeDiskPressure, name: "warn-healthy-pod", scenario: "steady", status: d.Warn},
	{id: d.NodeDiskPressure, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PullTrafficQuotaExceeded, name: "fail", scenario: "tokyo", status: d.Fail},
	{id: d.PullTrafficQuotaExceeded, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.PullTrafficQuotaExceeded, name: "fail-other-wording", scenario: "osaka", status: d.Fail},
	{id: d.PullSecretStale, name: "warn", scenario: "billing", status: d.Warn},
	{id: d.PullSecretStale, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.StorageQuotaExceeded, name: "warn", scenario: "storefront", status: d.Warn, mutate: func(w *sandbox.World) {
		w.Cloud.SetQuota("us-south", sandbox.ClusterAccount, cloud.Quota{StorageLimit: 512 << 20, StorageUsed: 512 << 20, TrafficLimit: -1})
	}},
	{id: d.StorageQuotaExceeded, name: "inconclusive-no-key", scenario: "storefront", status: d.Inconclusive, noBotKey: true},
	{id: d.StorageQuotaExceeded, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.QuotaNearLimit, name: "warn", scenario: "tokyo", status: d.Warn},
	{id: d.QuotaNearLimit, name: "pass", scenario: "storefront", status: d.Pass},
	{id: d.WorkloadMissingPullSecretRef, name: "warn", scenario: "storefront", status: d.Warn},
	{id: d.WorkloadMissingPullSecretRef, name: "pass", scenario: "team-d", status: d.Pass},
	{id: d.BotPermissionMissing, name: "inconclusive-no-key", scenario: "storefront", status: d.Inconclusive, noBotKey: true},
	{id: d.BotPermissionMissing, name: "inconclusive-rbac", scenario: "storefront", status: d.Inconclusive, mutate: forbidSecrets},
	{id: d.BotPermissionMissing, name: "pass", scenario: "storefront", status: d.Pass},
}

// forbidSecrets makes the API server refuse pullcheck any secret.
func forbidSecrets(w *sandbox.World) {
	w.Kube.PrependReactor("get", "secrets", func(a k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "", nil)
	})
}

func TestFindings(t *testing.T) {
	for _, tc := range findingCases {
		t.Run(string(tc.id)+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			var w *sandbox.World
			var req d.Request
			if tc.build != nil {
				w = newWorld(t)
				req.Namespace, req.Pod = tc.build(w)
			} else {
				w, req = build(t, scenarioNamed(t, tc.scenario))
			}
			if tc.mutate != nil {
				tc.mutate(w)
			}
			key := w.BotKey
			if tc.noBotKey {
				key = ""
			}
			rep := d.New(w.EngineOptions(key)).Diagnose(testContext(t), req, nil)
			got, ok := rep.Result(tc.id)
			if !ok {
				t.Fatalf("no result for %s", tc.id)
			}
			if got.Status != tc.status {
				t.Errorf("status = %s, want %s: %s\n%s", got.Status, tc.status, got.Summary, textOf(t, rep))
			}
			compareGolden(t, filepath.Join("testdata", "findings", string(tc.id), tc.name+".json"), got)
		})
	}
}

// TestEveryFindingHasCases requires a failing (or warning / inconclusive)
// and a passing case for every finding in the catalogue.
func TestEveryFindingHasCases(t *testing.T) {
	seen := map[d.FindingID]map[bool]bool{}
	for _, tc := range findingCases {
		if seen[tc.id] == nil {
			seen[tc.id] = map[bool]bool{}
		}
		seen[tc.id][tc.status == d.Pass] = true
	}
	for _, c := range d.Catalogue {
		if !seen[c.ID()][true] || !seen[c.ID()][false] {
			t.Errorf("%s lacks a passing or a failing case: %v", c.ID(), seen[c.ID()])
		}
	}
}

func compareGolden(t *testing.T, path string, got d.Result) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test ./diagnose -update): %v", err)
	}
	var wantRes d.Result
	if err := json.Unmarshal(want, &wantRes); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantRes, got); diff != "" {
		t.Errorf("result differs from %s (-want +got):\n%s", path, diff)
	}
}

func textOf(t testing.TB, rep *d.Report) string {
	var b bytes.Buffer
	if err := d.WriteText(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
