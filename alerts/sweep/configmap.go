package sweep

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose"
)

// StateKey is the ConfigMap data key ConfigMapStore keeps the state under.
const StateKey = "sweeps.json"

// ConfigMapStore keeps the State as JSON in one key of a ConfigMap, which
// it creates when absent. Other keys, labels and annotations of the
// ConfigMap are left alone. It is safe for concurrent use: Save writes
// with the resourceVersion Load read, and on a conflict reloads, applies
// only the caller's own changes and tries once more.
type ConfigMapStore struct {
	Kube      kubernetes.Interface
	Namespace string
	Name      string
}

var _ Store = (*ConfigMapStore)(nil)

// Load reads the state; a missing ConfigMap or key is an empty State.
func (s *ConfigMapStore) Load(ctx context.Context) (State, error) {
	cm, err := s.Kube.CoreV1().ConfigMaps(s.Namespace).Get(ctx, s.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return State{}.withOrigin((*corev1.ConfigMap)(nil)), nil
	}
	if err != nil {
		return State{}, fmt.Errorf("reading configmap %s: %w", s.ref(), err)
	}
	var st State
	if raw := cm.Data[StateKey]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			return State{}, fmt.Errorf("reading %s of configmap %s: %w", StateKey, s.ref(), err)
		}
	}
	return st.withOrigin(cm), nil
}

// Save writes st. On a conflict with another writer it reloads and retries
// once with st's changes applied over what the other writer stored.
func (s *ConfigMapStore) Save(ctx context.Context, st State) error {
	err := s.write(ctx, st)
	if !conflict(err) {
		return err
	}
	latest, err := s.Load(ctx)
	if err != nil {
		return err
	}
	if err := s.write(ctx, rebase(latest, st)); err != nil {
		return fmt.Errorf("saving sweep state after a conflicting write: %w", err)
	}
	return nil
}

// write creates the ConfigMap when st's origin has none, and otherwise
// updates the loaded one, conditional on its resourceVersion.
func (s *ConfigMapStore) write(ctx context.Context, st State) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encoding sweep state: %w", err)
	}
	cms := s.Kube.CoreV1().ConfigMaps(s.Namespace)
	loaded := s.loaded(st)
	if loaded == nil {
		cm := &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Namespace: s.Namespace, Name: s.Name,
				Labels: map[string]string{diagnose.ManagedByLabel: diagnose.ManagedBy}},
			Data: map[string]string{StateKey: string(raw)},
		}
		if _, err := cms.Create(ctx, cm, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating configmap %s: %w", s.ref(), err)
		}
		return nil
	}
	cm := loaded.DeepCopy()
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
	cm.Data[StateKey] = string(raw)
	if _, err := cms.Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("updating configmap %s: %w", s.ref(), err)
	}
	return nil
}

// loaded returns the ConfigMap st was loaded from, nil when there was none
// (or st did not come from a ConfigMapStore).
func (s *ConfigMapStore) loaded(st State) *corev1.ConfigMap {
	if st.origin == nil {
		return nil
	}
	cm, _ := st.origin.version.(*corev1.ConfigMap)
	return cm
}

func (s *ConfigMapStore) ref() string { return s.Namespace + "/" + s.Name }

// conflict reports whether another writer got there first: the ConfigMap
// changed since it was read, or was created meanwhile.
func conflict(err error) bool {
	return apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err)
}
