// Package deploy holds pullcheck's deployment files; its test checks them.
package deploy
