// Package commands is the one path for every request pullcheck serves: the
// grammar shared by typed commands, mentions, button values and the CLI.
package commands
