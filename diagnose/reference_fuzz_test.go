package diagnose

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// FuzzImageReference feeds arbitrary image strings through the checks that
// parse them: they never panic, never error, and a reference either parses
// (pass/warn/fail on its domain) or fails image-reference-invalid.
func FuzzImageReference(f *testing.F) {
	for _, s := range []string{"us.icr.io/shop/web:1.0", "registry.ng.bluemix.net/a/b", "nginx", "UPPER/case", "a:b:c",
		"us.icr.io/shop/web@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "", "::", "localhost:5000/x"} {
		f.Add(s)
	}
	checks := []Check{checkFunc{ImageReferenceInvalid, checkImageReference}, checkFunc{RegistryDomainDeprecated, checkDeprecatedDomain}}
	f.Fuzz(func(t *testing.T, image string) {
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p"},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image}}}}
		e := New(Options{Kube: fake.NewClientset(pod), Checks: checks})
		rep := e.Diagnose(context.Background(), Request{Namespace: "ns", Pod: "p"}, nil)
		ref, dom := rep.Results[0], rep.Results[1]
		if ref.Status == Inconclusive || dom.Status == Inconclusive {
			t.Fatalf("inconclusive for %q: %+v %+v", image, ref, dom)
		}
		if (ref.Status == Fail) != (dom.Status == Skip) {
			t.Fatalf("%q: reference %s but domain %s", image, ref.Status, dom.Status)
		}
	})
}
