package bot

import (
	"sync"

	"github.com/pullcheck/pullcheck/bot/blocks"
)

// messageCache remembers recently posted verdicts, oldest evicted first.
type messageCache struct {
	mu    sync.Mutex
	max   int
	order []string
	items map[string]blocks.Message
}

func newMessageCache(max int) *messageCache {
	return &messageCache{max: max, items: map[string]blocks.Message{}}
}

func (c *messageCache) put(key string, m blocks.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok {
		c.order = append(c.order, key)
	}
	c.items[key] = m
	for len(c.order) > c.max {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *messageCache) get(key string) (blocks.Message, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.items[key]
	return m, ok
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
