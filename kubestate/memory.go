package kubestate

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
)

// Memory is a Store in the process, with the same versions, conflicts and
// size limit as ConfigMap. The zero value is an empty store.
type Memory struct {
	mu  sync.Mutex
	raw []byte
	rv  int // 0: no document
}

var _ Store = (*Memory)(nil)

// Load decodes the document into v.
func (m *Memory) Load(_ context.Context, v any) (Version, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rv == 0 {
		return "", nil
	}
	if err := json.Unmarshal(m.raw, v); err != nil {
		return "", fmt.Errorf("reading the state: %w", err)
	}
	return m.version(), nil
}

// Save stores v if the document is still at the version at.
func (m *Memory) Save(_ context.Context, v any, at Version) (Version, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encoding the state: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if at != m.version() {
		return "", fmt.Errorf("saving the state: %w", ErrConflict)
	}
	if len(raw) > MaxBytes {
		return "", fmt.Errorf("saving the state of %d bytes: %w", len(raw), ErrTooLarge)
	}
	m.raw = raw
	m.rv++
	return m.version(), nil
}

func (m *Memory) version() Version {
	if m.rv == 0 {
		return ""
	}
	return Version(strconv.Itoa(m.rv))
}
