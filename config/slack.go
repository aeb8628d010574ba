package config

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// slackID is a Slack user (U…, W…) or user-group (S…) ID.
var slackID = regexp.MustCompile(`^[A-Z0-9]{2,20}$`)

// loadSlack reads the settings serve needs; tokens are checked by ValidateServe.
func (c *Config) loadSlack(getenv func(string) string) []error {
	var errs []error
	c.SlackAppToken = strings.TrimSpace(getenv(KeySlackAppToken))
	c.SlackBotToken = strings.TrimSpace(getenv(KeySlackBotToken))
	if v := strings.TrimSpace(getenv(KeySlackAPIURL)); v != "" {
		if err := checkURL(KeySlackAPIURL, v); err != nil {
			errs = append(errs, err)
		} else if !strings.HasSuffix(v, "/") {
			errs = append(errs, fmt.Errorf("%s: %q must end with / (example: https://slack.com/api/)", KeySlackAPIURL, v))
		}
		c.SlackAPIURL = v
	}
	var err error
	if c.OnCallUsers, err = idList(KeyOnCallUsers, getenv(KeyOnCallUsers), "U0123ABCD,U0456EFGH"); err != nil {
		errs = append(errs, err)
	}
	if c.OnCallGroups, err = idList(KeyOnCallGroups, getenv(KeyOnCallGroups), "S0123ABCD"); err != nil {
		errs = append(errs, err)
	}
	if c.ReadOnly, err = parseBool(KeyReadOnly, getenv(KeyReadOnly)); err != nil {
		errs = append(errs, err)
	}
	c.Workers = 8
	if v := strings.TrimSpace(getenv(KeyWorkers)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 256 {
			errs = append(errs, fmt.Errorf("%s: %q is not a number from 1 to 256 (example: 8)", KeyWorkers, v))
		} else {
			c.Workers = n
		}
	}
	return errs
}

func idList(key, v, example string) ([]string, error) {
	var ids []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !slackID.MatchString(f) {
			return nil, fmt.Errorf("%s: %q is not a Slack ID (example: %s)", key, clipValue(f), example)
		}
		ids = append(ids, f)
	}
	return ids, nil
}

// ValidateServe checks the Slack tokens serve needs, naming each variable
// and the prefix it expects; token values are never echoed.
func (c *Config) ValidateServe() error {
	var errs []error
	for _, t := range []struct{ key, value, prefix, what string }{
		{KeySlackAppToken, c.SlackAppToken, "xapp-", "an app-level token with connections:write"},
		{KeySlackBotToken, c.SlackBotToken, "xoxb-", "the bot user OAuth token"},
	} {
		switch {
		case t.value == "":
			errs = append(errs, fmt.Errorf("%s is not set: expected %s, starting with %s", t.key, t.what, t.prefix))
		case !strings.HasPrefix(t.value, t.prefix):
			errs = append(errs, fmt.Errorf("%s does not start with %s: expected %s", t.key, t.prefix, t.what))
		}
	}
	return errors.Join(errs...)
}

func clipValue(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
