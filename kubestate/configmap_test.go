package kubestate_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/kubestate"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

type doc struct {
	Marks map[string]string `json:"marks,omitempty"`
	Blob  string            `json:"blob,omitempty"`
}

func newConfigMap(t *testing.T) (*kubestate.ConfigMap, *fake.Clientset) {
	t.Helper()
	cs := sandbox.NewClientset()
	kubestatetest.LimitConfigMaps(cs)
	return &kubestate.ConfigMap{Kube: cs, Namespace: "pullcheck", Name: "pullcheck-test", Key: "test.json"}, cs
}

// stores are the two implementations, which must behave alike.
func stores(t *testing.T) map[string]kubestate.Store {
	cm, _ := newConfigMap(t)
	return map[string]kubestate.Store{"configmap": cm, "memory": &kubestate.Memory{}}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var empty doc
			v0, err := s.Load(ctx, &empty)
			if err != nil || v0 != "" {
				t.Fatalf("Load of nothing = %q, %v; want \"\", nil", v0, err)
			}
			v1, err := s.Save(ctx, doc{Marks: map[string]string{"a": "1"}}, v0)
			if err != nil || v1 == "" {
				t.Fatalf("Save (create) = %q, %v", v1, err)
			}
			var got doc
			if v, err := s.Load(ctx, &got); err != nil || v != v1 {
				t.Fatalf("Load = %q, %v; want %q", v, err, v1)
			}
			if diff := cmp.Diff(doc{Marks: map[string]string{"a": "1"}}, got); diff != "" {
				t.Errorf("loaded (-want +got):\n%s", diff)
			}
			v2, err := s.Save(ctx, doc{Marks: map[string]string{"b": "2"}}, v1)
			if err != nil || v2 == v1 {
				t.Fatalf("Save (update) = %q, %v", v2, err)
			}
		})
	}
}

// TestStaleVersionConflicts: a writer that read an older version — a
// deposed leader — cannot overwrite what another wrote since.
func TestStaleVersionConflicts(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			v1, err := s.Save(ctx, doc{Blob: "first"}, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Save(ctx, doc{Blob: "second"}, ""); !errors.Is(err, kubestate.ErrConflict) {
				t.Errorf("a second create = %v, want ErrConflict", err)
			}
			if _, err := s.Save(ctx, doc{Blob: "new leader"}, v1); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Save(ctx, doc{Blob: "old leader"}, v1); !errors.Is(err, kubestate.ErrConflict) {
				t.Errorf("a write at a stale version = %v, want ErrConflict", err)
			}
			var got doc
			if _, err := s.Load(ctx, &got); err != nil || got.Blob != "new leader" {
				t.Errorf("stored %q (%v), want the new leader's", got.Blob, err)
			}
		})
	}
}

// TestTooLarge: a document over 1 MiB is refused as the API server refuses
// it, and nothing is written.
func TestTooLarge(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			v, err := s.Save(ctx, doc{Blob: "small"}, "")
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Save(ctx, doc{Blob: strings.Repeat("x", kubestate.MaxBytes)}, v)
			if !errors.Is(err, kubestate.ErrTooLarge) {
				t.Fatalf("Save of over 1 MiB = %v, want ErrTooLarge", err)
			}
			var got doc
			if _, err := s.Load(ctx, &got); err != nil || got.Blob != "small" {
				t.Errorf("stored %.10q (%v) after the refused write", got.Blob, err)
			}
		})
	}
}

func TestConfigMapTooLargeIsTheAPIServersError(t *testing.T) {
	s, _ := newConfigMap(t)
	_, err := s.Save(context.Background(), doc{Blob: strings.Repeat("x", kubestate.MaxBytes)}, "")
	want := `ConfigMap "pullcheck-test" is invalid: []: Too long: may not be more than 1048576 bytes`
	if !kubestate.TooLarge(err) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to say %q", err, want)
	}
}

func TestConfigMapKeepsOtherKeysAndLabels(t *testing.T) {
	ctx := context.Background()
	s, cs := newConfigMap(t)
	v, err := s.Save(ctx, doc{Blob: "mine"}, "")
	if err != nil {
		t.Fatal(err)
	}
	cms := cs.CoreV1().ConfigMaps("pullcheck")
	cm, _ := cms.Get(ctx, "pullcheck-test", metav1.GetOptions{})
	if cm.Labels["app.kubernetes.io/managed-by"] != "pullcheck" {
		t.Errorf("labels %v", cm.Labels)
	}
	cm.Data["other"], cm.Annotations = "kept", map[string]string{"note": "kept"}
	cm, err = cms.Update(ctx, cm, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, doc{Blob: "again"}, v); !errors.Is(err, kubestate.ErrConflict) {
		t.Fatalf("a save over someone's edit = %v, want ErrConflict", err)
	}
	if _, err := s.Save(ctx, doc{Blob: "again"}, kubestate.Version(cm.ResourceVersion)); err != nil {
		t.Fatal(err)
	}
	got, _ := cms.Get(ctx, "pullcheck-test", metav1.GetOptions{})
	want := map[string]string{"other": "kept", "test.json": `{"blob":"again"}`}
	if diff := cmp.Diff(want, got.Data); diff != "" || got.Annotations["note"] != "kept" {
		t.Errorf("data (-want +got):\n%s\nannotations %v", diff, got.Annotations)
	}
}

func TestConfigMapDeletedMeanwhileConflicts(t *testing.T) {
	ctx := context.Background()
	s, cs := newConfigMap(t)
	v, err := s.Save(ctx, doc{Blob: "mine"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.CoreV1().ConfigMaps("pullcheck").Delete(ctx, "pullcheck-test", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, doc{Blob: "again"}, v); !errors.Is(err, kubestate.ErrConflict) {
		t.Errorf("a save after the ConfigMap was deleted = %v, want ErrConflict", err)
	}
}

func TestLimitConfigMapsRecordsSizes(t *testing.T) {
	cs := fake.NewClientset()
	sizes := kubestatetest.LimitConfigMaps(cs)
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "x"},
		Data: map[string]string{"a": "12345"}, BinaryData: map[string][]byte{"b": []byte("678")}}
	if _, err := cs.CoreV1().ConfigMaps("ns").Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if sizes.Max("ns/x") != 8 || sizes.Last("ns/x") != 8 {
		t.Errorf("recorded max %d last %d, want 8", sizes.Max("ns/x"), sizes.Last("ns/x"))
	}
}
