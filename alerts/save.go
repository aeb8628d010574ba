package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pullcheck/pullcheck/kubestate"
)

// ErrDeposed: another writer replaced the incident state since this
// Manager read it — a newer leader, most likely. The Manager saves nothing
// more, and Run returns it so that the term of leadership ends.
var ErrDeposed = errors.New("another replica replaced the incident state: this one no longer writes it")

// finalSaveTimeout bounds the save when the Manager stops.
const finalSaveTimeout = 10 * time.Second

// saver is the Manager's side of its Store.
type saver struct {
	// version is what this Manager last loaded or saved; every save is
	// conditional on it.
	version kubestate.Version
	// failures in a row, and when to try again.
	failures int
	retryAt  time.Time
	// shrink halves the state budget once per refusal as too large.
	shrink int
	// deposed is set by a conflicting save: nothing is saved after it.
	deposed error
}

// Run posts, groups, updates and resolves, checking every tick, until ctx
// is done (it saves once more and returns nil) or the state is replaced by
// another writer (it returns an error wrapping ErrDeposed).
func (m *Manager) Run(ctx context.Context, tick time.Duration) error {
	t := m.o.Clock.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			m.sending.Wait()
			// The lease is released after this: bound the wait.
			last, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalSaveTimeout)
			err := m.save(last, true)
			cancel()
			if err != nil {
				m.o.Logger.Warn("saving incidents on the way out", "err", err)
			}
			return nil
		case <-t.C():
			if err := m.Tick(ctx); err != nil {
				m.sending.Wait()
				return err
			}
		}
	}
}

// Tick does one round: take in acknowledgements and mutes, flush held
// incidents, update storms, resolve, save. Alerts are posted in the
// background; WaitPosted waits for them. It returns an error only once the
// Manager has been deposed (ErrDeposed); a save that fails otherwise is
// tried again after a back-off.
func (m *Manager) Tick(ctx context.Context) error {
	m.absorb(ctx)
	m.flush(ctx)
	m.updateStorms(ctx)
	m.resolve(ctx)
	return m.save(ctx, false)
}

// WaitPosted waits until the alerts being posted are posted (or dropped).
func (m *Manager) WaitPosted() { m.sending.Wait() }

// save writes the state when it changed and no back-off is running (a
// final save ignores the back-off), compacted to fit the budget.
func (m *Manager) save(ctx context.Context, final bool) error {
	now := m.o.Clock.Now()
	m.mu.Lock()
	if m.saves.deposed != nil || !m.dirty || (!final && now.Before(m.saves.retryAt)) {
		defer m.mu.Unlock()
		return m.saves.deposed
	}
	snap, forgot := compact(m.st, m.o.StateBudget>>m.saves.shrink)
	m.dirty = false
	at := m.saves.version
	m.mu.Unlock()
	if forgot > 0 {
		m.o.Logger.Warn("the incident state outgrew its budget: open incidents forgotten; a restart may alert them again",
			"forgotten", forgot, "budget_bytes", m.o.StateBudget>>m.saves.shrink)
	}
	ver, err := m.o.Store.Save(ctx, snap, at)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil {
		m.saves = saver{version: ver, shrink: m.saves.shrink}
		return nil
	}
	m.dirty = true
	if errors.Is(err, kubestate.ErrConflict) {
		m.saves.deposed = fmt.Errorf("%w: %w", ErrDeposed, err)
		return m.saves.deposed
	}
	if errors.Is(err, kubestate.ErrTooLarge) && m.saves.shrink < 8 {
		m.saves.shrink++
	}
	m.saves.failures++
	wait := m.backoff(m.saves.failures)
	m.saves.retryAt = now.Add(wait)
	m.o.Logger.Error("saving incidents; trying again later", "err", err, "failures", m.saves.failures, "retry_in", wait.String())
	return nil
}

// backoff is the wait after n failed saves in a row: SaveBackoff, doubled
// for each further failure, at most MaxSaveBackoff.
func (m *Manager) backoff(n int) time.Duration {
	d := m.o.SaveBackoff
	for i := 1; i < n && d < m.o.MaxSaveBackoff; i++ {
		d *= 2
	}
	return min(d, m.o.MaxSaveBackoff)
}

// cloneState deep-copies the state for saving outside the lock.
func cloneState(st *State) *State {
	b, _ := json.Marshal(st)
	c := newState()
	_ = json.Unmarshal(b, c)
	return c
}
