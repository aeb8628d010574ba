package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// Notifier is what sweeps need from chat: a post in a channel. The bot
// implements it.
type Notifier interface {
	Sweep(ctx context.Context, channel string, m Finding) error
}

// Kinds of findings.
const (
	KindQuota   = "quota"
	KindHygiene = "hygiene"
)

// Severities of findings. SeverityOK is only posted to say that an earlier
// warning or critical finding has cleared.
const (
	SeverityOK       = "ok"
	SeverityWarning  = "warning"
	SeverityCritical = "critical"
)

// Finding is one sweep message.
type Finding struct {
	// Kind is KindQuota or KindHygiene.
	Kind string
	// Key is the stable identity of the condition ("quota/us-south/traffic",
	// "hygiene/team-a"); a chat client may use it to thread updates.
	Key string
	// Severity is SeverityOK, SeverityWarning or SeverityCritical.
	Severity string
	// Title is one line.
	Title string
	// Lines are details: a forecast, the largest repositories, one line per
	// problem, manual commands.
	Lines []string
	// Offers are fix buttons (hygiene findings only).
	Offers []commands.Offer
}

// poster posts findings whose mark changed since the last post. A mark
// sums up a condition ("warning", "warning 3f9a…"); "" means all is well,
// and is never stored.
type poster struct {
	notify  Notifier
	channel string
	state   *State
}

// changed reports whether key's mark differs from the last posted one.
func (p poster) changed(key, mark string) bool { return p.state.Posted[key] != mark }

// post sends f and, once it is sent, remembers mark for f.Key. A failed
// post is not remembered, so the next run tries again.
func (p poster) post(ctx context.Context, f Finding, mark string) error {
	if err := p.notify.Sweep(ctx, p.channel, f); err != nil {
		return fmt.Errorf("posting %s: %w", f.Key, err)
	}
	p.remember(f.Key, mark)
	return nil
}

// remember stores mark for key, or forgets key when mark is "".
func (p poster) remember(key, mark string) {
	if mark == "" {
		delete(p.state.Posted, key)
		return
	}
	p.state.Posted[key] = mark
}

// cannotRead posts, once per distinct error, that a sweep could not read
// what it needs. It returns err for the caller to log, joined with a
// failed post. Nothing is posted once ctx is done: a shutdown is not a
// problem worth a message.
func (p poster) cannotRead(ctx context.Context, key, sweep, what string, err error) error {
	if ctx.Err() != nil {
		return err
	}
	mark := "error " + digest(errorIdentity(err))
	if !p.changed(key, mark) {
		return err
	}
	f := Finding{Kind: sweep, Key: key, Severity: SeverityWarning,
		Title: capitalise(fmt.Sprintf("%s sweep cannot read %s", sweep, what)), Lines: []string{err.Error()}}
	return errors.Join(err, p.post(ctx, f, mark))
}

// errorIdentity names what went wrong without the parts that change from
// one try to the next (request IDs, messages with timestamps), so that the
// same failure is recognised on the next run.
func errorIdentity(err error) string {
	var (
		pe *ibmcloud.PermissionError
		ue *ibmcloud.UnreachableError
		ae *ibmcloud.APIError
		kr *ibmcloud.KeyRejectedError
	)
	switch {
	case errors.Is(err, ibmcloud.ErrNoBotKey):
		return "no bot key"
	case errors.As(err, &pe):
		return fmt.Sprintf("permission %s %s %t", pe.API, pe.Permission, pe.Rejected)
	case errors.As(err, &ue):
		return "unreachable " + ue.Service + " " + ue.Host
	case errors.As(err, &kr):
		return fmt.Sprintf("key rejected %d %s", kr.Status, kr.Code)
	case errors.As(err, &ae):
		return fmt.Sprintf("api %s %d %s", ae.API, ae.Status, ae.Code)
	}
	return err.Error()
}

// digest is a short fingerprint of s, for marks.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:12]
}

// plural renders "1 image", "3 images".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// bytesText renders a byte count in binary units ("4.8 GiB").
func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// capitalise upper-cases the first letter of an ASCII title.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
