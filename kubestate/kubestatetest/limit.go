// Package kubestatetest makes the fake clientset refuse what the API server
// refuses about pullcheck's state, so tests see what production would.
package kubestatetest

import (
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/kubestate"
)

// Sizes records the data size of every ConfigMap written.
type Sizes struct {
	mu   sync.Mutex
	max  map[string]int
	last map[string]int
}

// Max is the largest data size written to the named ConfigMap ("ns/name").
func (s *Sizes) Max(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max[name]
}

// Last is the data size of the last write to the named ConfigMap.
func (s *Sizes) Last(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last[name]
}

func (s *Sizes) record(name string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.max == nil {
		s.max, s.last = map[string]int{}, map[string]int{}
	}
	s.max[name] = max(s.max[name], n)
	s.last[name] = n
}

// LimitConfigMaps makes cs refuse to create or update a ConfigMap whose
// data exceeds kubestate.MaxBytes, with the error the API server gives
// (422: ConfigMap "x" is invalid: ...: Too long: may not be more than
// 1048576 bytes), and records the size of every ConfigMap written. Call it
// after anything else that prepends reactors to cs that should run later.
func LimitConfigMaps(cs *fake.Clientset) *Sizes {
	s := &Sizes{}
	refuse := func(a k8stesting.Action) (bool, runtime.Object, error) {
		var obj runtime.Object
		switch a := a.(type) {
		case k8stesting.CreateAction:
			obj = a.GetObject()
		case k8stesting.UpdateAction:
			obj = a.GetObject()
		}
		cm, ok := obj.(*corev1.ConfigMap)
		if !ok {
			return false, nil, nil
		}
		n := DataSize(cm)
		if n > kubestate.MaxBytes {
			return true, nil, TooLongError(cm.Name)
		}
		s.record(a.GetNamespace()+"/"+cm.Name, n)
		return false, nil, nil
	}
	cs.PrependReactor("create", "configmaps", refuse)
	cs.PrependReactor("update", "configmaps", refuse)
	return s
}

// DataSize is what the API server counts against the limit: the lengths
// of the values of data and binaryData.
func DataSize(cm *corev1.ConfigMap) int {
	n := 0
	for _, v := range cm.Data {
		n += len(v)
	}
	for _, v := range cm.BinaryData {
		n += len(v)
	}
	return n
}

// TooLongError is the API server's answer to a ConfigMap named name whose
// data is larger than kubestate.MaxBytes (k8s.io/kubernetes
// pkg/apis/core/validation.ValidateConfigMap).
func TooLongError(name string) error {
	return apierrors.NewInvalid(schema.GroupKind{Kind: "ConfigMap"}, name,
		field.ErrorList{field.TooLong(field.NewPath(""), "", kubestate.MaxBytes)})
}
