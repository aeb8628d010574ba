package bot

import (
	"sync"
)

// recent remembers recently posted messages' data by channel/ts, oldest
// evicted first.
type recent[V any] struct {
	mu    sync.Mutex
	max   int
	order []string
	items map[string]V
}

func newRecent[V any](max int) *recent[V] {
	return &recent[V]{max: max, items: map[string]V{}}
}

func (c *recent[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok {
		c.order = append(c.order, key)
	}
	c.items[key] = v
	for len(c.order) > c.max {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *recent[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[key]
	return v, ok
}

// recentSet remembers recent IDs to drop redeliveries.
type recentSet struct {
	mu    sync.Mutex
	max   int
	order []string
	ids   map[string]bool
}

// add records id and reports whether it is new.
func (s *recentSet) add(id string) bool {
	if id == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]bool{}
	}
	if s.ids[id] {
		return false
	}
	s.ids[id] = true
	s.order = append(s.order, id)
	if len(s.order) > s.max {
		delete(s.ids, s.order[0])
		s.order = s.order[1:]
	}
	return true
}
