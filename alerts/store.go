package alerts

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Store keeps the incident state across restarts and leader changes.
type Store interface {
	Load(ctx context.Context) (*State, error)
	Save(ctx context.Context, s *State) error
}

// ConfigMapStore keeps the state as JSON in a ConfigMap of pullcheck's namespace.
type ConfigMapStore struct {
	Kube      kubernetes.Interface
	Namespace string
	Name      string // default "pullcheck-incidents"
}

const stateKey = "incidents.json"

func (c *ConfigMapStore) name() string {
	if c.Name == "" {
		return "pullcheck-incidents"
	}
	return c.Name
}

// Load reads the state; a missing ConfigMap is an empty state.
func (c *ConfigMapStore) Load(ctx context.Context) (*State, error) {
	cm, err := c.Kube.CoreV1().ConfigMaps(c.Namespace).Get(ctx, c.name(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return newState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading configmap %s/%s: %w", c.Namespace, c.name(), err)
	}
	st := newState()
	if raw := cm.Data[stateKey]; raw != "" {
		if err := json.Unmarshal([]byte(raw), st); err != nil {
			return nil, fmt.Errorf("decoding configmap %s/%s: %w", c.Namespace, c.name(), err)
		}
	}
	if st.Incidents == nil {
		st.Incidents = map[string]*Incident{}
	}
	if st.Storms == nil {
		st.Storms = map[string]*Storm{}
	}
	return st, nil
}

// Save writes the state, creating the ConfigMap when needed. pullcheck is
// the only writer (the leader), so the last write wins.
func (c *ConfigMapStore) Save(ctx context.Context, s *State) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encoding the incident state: %w", err)
	}
	cms := c.Kube.CoreV1().ConfigMaps(c.Namespace)
	cm, err := cms.Get(ctx, c.name(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: c.Namespace, Name: c.name(),
			Labels: map[string]string{"app.kubernetes.io/managed-by": "pullcheck"}}, Data: map[string]string{stateKey: string(b)}}
		_, err = cms.Create(ctx, cm, metav1.CreateOptions{})
		return wrapSave(c, err)
	}
	if err != nil {
		return wrapSave(c, err)
	}
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
	cm.Data[stateKey] = string(b)
	_, err = cms.Update(ctx, cm, metav1.UpdateOptions{})
	return wrapSave(c, err)
}

func wrapSave(c *ConfigMapStore, err error) error {
	if err != nil {
		return fmt.Errorf("saving configmap %s/%s: %w", c.Namespace, c.name(), err)
	}
	return nil
}

// memoryStore keeps the state in memory (tests, and when no namespace is known).
type memoryStore struct{ b []byte }

// MemoryStore returns a Store that lives as long as the process.
func MemoryStore() Store { return &memoryStore{} }

func (m *memoryStore) Load(context.Context) (*State, error) {
	st := newState()
	if m.b != nil {
		if err := json.Unmarshal(m.b, st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func (m *memoryStore) Save(_ context.Context, s *State) error {
	b, err := json.Marshal(s)
	m.b = b
	return err
}
