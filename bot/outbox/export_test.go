package outbox

// Channels is the number of channels the outbox keeps state for: a queue, a
// worker or an unpaid pace. Tests check that idle channels are forgotten.
func Channels(b *Outbox) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queues)
}
