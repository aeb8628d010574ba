package fix

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Keys in the fixtures' pull secrets; no summary or error may contain them.
const (
	currentKey = "canary-current-key-3f9a"
	oldKey     = "canary-old-key-77c1"
)

// pullSecret is a dockerconfigjson secret holding key, at resourceVersion 1.
func pullSecret(ns, name, key string) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, ResourceVersion: "1"},
		Type:       corev1.SecretTypeDockerConfigJson,
		Data:       map[string][]byte{corev1.DockerConfigJsonKey: []byte(`{"auths":{"us.icr.io":{"password":"` + key + `"}}}`)},
	}
}

// source is default/all-icr-io with the current key.
func source() *corev1.Secret { return pullSecret("default", "all-icr-io", currentKey) }

// managedCopy is pullcheck's copy of default/all-icr-io in ns holding key,
// made by actor, at resourceVersion 1 ("" for the object a create sends).
func managedCopy(ns, key, actor, rv string) *corev1.Secret {
	s := pullSecret(ns, "all-icr-io", key)
	s.ResourceVersion = rv
	s.Labels = map[string]string{diagnose.ManagedByLabel: "pullcheck"}
	s.Annotations = map[string]string{SourceAnnotation: "default/all-icr-io",
		SourceHashAnnotation: diagnose.ContentHash(s.Data), AppliedByAnnotation: actor}
	return s
}

func hashOf(key string) string { return diagnose.ContentHash(pullSecret("", "", key).Data) }

func serviceAccount(ns, name string, secrets ...string) *corev1.ServiceAccount {
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, ResourceVersion: "1"}}
	for _, s := range secrets {
		sa.ImagePullSecrets = append(sa.ImagePullSecrets, corev1.LocalObjectReference{Name: s})
	}
	return sa
}

// call is one API request as the tests compare it.
type call struct {
	Verb, Resource, Namespace, Name string
	DryRun                          []string
	Object                          runtime.Object
	Patch                           string
	UID                             types.UID
}

func get(resource, ns, name string) call {
	return call{Verb: "get", Resource: resource, Namespace: ns, Name: name}
}

// secretWrite is a create or update of a secret.
func secretWrite(verb string, obj *corev1.Secret, dryRun bool) call {
	c := call{Verb: verb, Resource: "secrets", Namespace: obj.GetNamespace(), Name: obj.Name, Object: obj}
	if dryRun {
		c.DryRun = []string{metav1.DryRunAll}
	}
	return c
}

// calls lists the requests cs received.
func calls(cs *fake.Clientset) []call {
	var out []call
	for _, a := range cs.Actions() {
		c := call{Verb: a.GetVerb(), Resource: a.GetResource().Resource, Namespace: a.GetNamespace()}
		switch a := a.(type) {
		case k8stesting.GetActionImpl:
			c.Name = a.Name
		case k8stesting.CreateActionImpl:
			c.Object, c.DryRun = a.Object, a.CreateOptions.DryRun
			c.Name = a.Object.(metav1.Object).GetName()
		case k8stesting.UpdateActionImpl:
			c.Object, c.DryRun = a.Object, a.UpdateOptions.DryRun
			c.Name = a.Object.(metav1.Object).GetName()
		case k8stesting.PatchActionImpl:
			c.Name, c.Patch, c.DryRun = a.Name, string(a.Patch), a.PatchOptions.DryRun
		case k8stesting.DeleteActionImpl:
			c.Name, c.DryRun = a.Name, a.DeleteOptions.DryRun
			if p := a.DeleteOptions.Preconditions; p != nil && p.UID != nil {
				c.UID = *p.UID
			}
		}
		out = append(out, c)
	}
	return out
}

// checkErr compares err with want: nil, a *PreconditionError compared
// whole, or any other error compared by message.
func checkErr(t *testing.T, err, want error) {
	t.Helper()
	var got, wantPE *PreconditionError
	switch {
	case want == nil && err != nil:
		t.Fatalf("error = %v, want none", err)
	case want == nil:
	case errors.As(want, &wantPE):
		if !errors.As(err, &got) {
			t.Fatalf("error = %v, want refusal %q", err, wantPE.Msg)
		}
		if diff := cmp.Diff(wantPE, got); diff != "" {
			t.Errorf("refusal (-want +got):\n%s", diff)
		}
	case err == nil || err.Error() != want.Error() || errors.As(err, &got):
		t.Errorf("error = %v, want %q (not a refusal)", err, want)
	}
}

// checkSafe fails when a result or an error shows a secret's data.
func checkSafe(t *testing.T, res Result, err error) {
	t.Helper()
	for _, key := range []string{currentKey, oldKey} {
		if s := res.Summary + "|" + errString(err); strings.Contains(s, key) {
			t.Errorf("output shows secret data: %s", s)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// stored reads a secret straight from the tracker, bypassing reactors.
func stored(t *testing.T, cs *fake.Clientset, ns, name string) *corev1.Secret {
	t.Helper()
	obj, err := cs.Tracker().Get(corev1.SchemeGroupVersion.WithResource("secrets"), ns, name)
	if err != nil {
		return nil
	}
	return obj.(*corev1.Secret)
}

func apply(t *testing.T, f Fixer, req Request) (Result, error) {
	t.Helper()
	res, err := f.Apply(context.Background(), req)
	checkSafe(t, res, err)
	return res, err
}
