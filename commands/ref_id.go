package commands

import (
	"crypto/rand"
	"encoding/hex"
)

// newRef returns a short random reference for log lines a user can quote.
func newRef() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
