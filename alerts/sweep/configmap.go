package sweep

import (
	"context"
	"errors"
	"fmt"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/kubestate"
)

// StateConfigMap is the ConfigMap, in pullcheck's namespace, that keeps
// the sweeps' State under StateKey.
const (
	StateConfigMap = "pullcheck-sweeps"
	StateKey       = "sweeps.json"
)

// NewConfigMapStore keeps the State in the ConfigMap StateConfigMap of
// namespace.
func NewConfigMapStore(kube kubernetes.Interface, namespace string) Store {
	return NewStore(&kubestate.ConfigMap{Kube: kube, Namespace: namespace, Name: StateConfigMap, Key: StateKey})
}

// NewStore keeps the State in doc. It is safe for concurrent use: Save
// writes over the version Load read, and when another writer (the other
// sweep) saved since, it reloads, applies only the caller's own changes
// and tries once more.
func NewStore(doc kubestate.Store) Store { return &docStore{doc: doc} }

type docStore struct{ doc kubestate.Store }

var _ Store = (*docStore)(nil)

// Load reads the state; no document is an empty State.
func (s *docStore) Load(ctx context.Context) (State, error) {
	var st State
	ver, err := s.doc.Load(ctx, &st)
	if err != nil {
		return State{}, err
	}
	return st.withOrigin(ver), nil
}

// Save writes st. On a conflict with another writer it reloads and retries
// once with st's changes applied over what the other writer stored.
func (s *docStore) Save(ctx context.Context, st State) error {
	_, err := s.doc.Save(ctx, st, st.version())
	if !errors.Is(err, kubestate.ErrConflict) {
		return err
	}
	latest, err := s.Load(ctx)
	if err != nil {
		return err
	}
	if _, err := s.doc.Save(ctx, rebase(latest, st), latest.version()); err != nil {
		return fmt.Errorf("saving sweep state after a conflicting write: %w", err)
	}
	return nil
}
