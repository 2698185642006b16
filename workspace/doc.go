// Package workspace is Hooklab's application layer, between the domain
// packages (capture, requester, sandbox) and a window: it opens the data
// directory and its one database, keeps the collections workspace,
// sends requests and keeps their history, turns captures into requests
// (Replay) and history back into responses, and publishes what happened
// as typed events. It imports no Fyne: the window and the commands of
// package main both use it, and everything in it is testable without a
// display.
package workspace
