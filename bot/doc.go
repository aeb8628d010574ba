// Package bot is pullcheck's Slack side: the socket-mode loop, translating
// slash commands, mentions and button clicks into commands.Requests, and
// rendering their answers as Block Kit in a thread. It never knows
// Kubernetes; it reaches the cluster only through commands.
package bot
