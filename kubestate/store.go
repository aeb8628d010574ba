package kubestate

import (
	"context"
	"errors"
)

// MaxBytes is the most data the API server accepts in one ConfigMap: the
// sum of the lengths of its values (1 MiB).
const MaxBytes = 1 << 20

// Version identifies what a Load read; "" means there was no document.
// Save writes only over the Version it is given.
type Version string

// Errors a Save may wrap (test with errors.Is).
var (
	// ErrConflict: the document changed (or appeared, or vanished) since
	// the Version given to Save was read. Nothing was written.
	ErrConflict = errors.New("another writer changed the state since it was read")
	// ErrTooLarge: the API server refused the document as larger than a
	// ConfigMap may be. Nothing was written.
	ErrTooLarge = errors.New("the state is larger than a ConfigMap may hold")
)

// Store is a versioned JSON document. ConfigMap keeps it in the cluster;
// Memory keeps it in the process (tests, and a CLI run with no cluster).
type Store interface {
	// Load decodes the document into v and returns its Version. A missing
	// document leaves v as it is and returns "".
	Load(ctx context.Context, v any) (Version, error)
	// Save encodes v and writes it if the document is still at the
	// Version at; it returns the new Version.
	Save(ctx context.Context, v any, at Version) (Version, error)
}
