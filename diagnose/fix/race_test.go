package fix

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// barrier holds the first n callers of wait until all n have arrived.
type barrier struct {
	n       int32
	arrived atomic.Int32
	all     sync.WaitGroup
}

func newBarrier(n int) *barrier {
	b := &barrier{n: int32(n)}
	b.all.Add(n)
	return b
}

func (b *barrier) wait() {
	if b.arrived.Add(1) <= b.n {
		b.all.Done()
		b.all.Wait()
	}
}

// racingKube makes every service account read wait at a barrier after it
// returned, outside the fake's lock: the callers that meet there have all
// read the same resourceVersion before any of them patches.
type racingKube struct {
	kubernetes.Interface
	b *barrier
}

func (k racingKube) CoreV1() corev1client.CoreV1Interface {
	return racingCore{k.Interface.CoreV1(), k.b}
}

type racingCore struct {
	corev1client.CoreV1Interface
	b *barrier
}

func (c racingCore) ServiceAccounts(ns string) corev1client.ServiceAccountInterface {
	return racingSA{c.CoreV1Interface.ServiceAccounts(ns), c.b}
}

type racingSA struct {
	corev1client.ServiceAccountInterface
	b *barrier
}

func (s racingSA) Get(ctx context.Context, name string, opts metav1.GetOptions) (*corev1.ServiceAccount, error) {
	sa, err := s.ServiceAccountInterface.Get(ctx, name, opts)
	s.b.wait()
	return sa, err
}

// TestPatchServiceAccountConcurrently clicks the button twice at once:
// both clicks read the service account before either patches, and the
// service account still ends up listing the secret once.
func TestPatchServiceAccountConcurrently(t *testing.T) {
	cs := sandbox.NewClientset(managedCopy("shop", currentKey, "U1", "1"), serviceAccount("shop", "default", "other"))
	f := &patchServiceAccount{kube: racingKube{cs, newBarrier(2)}}
	results := make([]Result, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			results[i], errs[i] = f.Apply(context.Background(), Request{Action: diagnose.PatchServiceAccount, Namespace: "shop", Actor: "U123"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.SortFunc(results, func(a, b Result) int { return len(a.Summary) - len(b.Summary) })
	want := []Result{
		{Action: diagnose.PatchServiceAccount, Summary: "service account shop/default already lists all-icr-io"},
		{Action: diagnose.PatchServiceAccount, Changed: true,
			Summary: "added all-icr-io to the imagePullSecrets of service account shop/default; pods created from now on use it"},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"other", "all-icr-io"}, saSecrets(t, cs)); diff != "" {
		t.Errorf("imagePullSecrets (-want +got):\n%s", diff)
	}
	// Both patches reached the server; the loser re-read and stopped.
	var verbs []string
	for _, c := range calls(cs) {
		if c.Resource == "serviceaccounts" {
			verbs = append(verbs, c.Verb)
		}
	}
	slices.Sort(verbs)
	if diff := cmp.Diff([]string{"get", "get", "get", "patch", "patch"}, verbs); diff != "" {
		t.Errorf("service account requests (-want +got):\n%s", diff)
	}
}
