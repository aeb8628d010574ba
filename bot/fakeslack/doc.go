// Package fakeslack is an in-process fake of Slack for tests. It speaks the
// real wire protocols on 127.0.0.1, so the real slack-go clients run against
// it unchanged: point them at it with slack.OptionAPIURL(s.APIURL()).
//
// A Server answers apps.connections.open (Bearer app-level token) with the
// URL of its own websocket, greets each socket with "hello", pings it every
// Options.PingInterval (slack-go drops sockets that go unpinged) and records
// the acks the client writes back. Tests push envelopes (slash commands,
// button clicks, app mentions, Home tab openings, raw frames, a
// "disconnect") to the current socket; after a disconnect the client opens
// a new one, which becomes current.
//
// The Web API side records every call (form-encoded POSTs carrying the bot
// token in the "token" field; JSON bodies, views.publish's, with it as a
// Bearer header) and keeps the posted messages and the published Home tab
// views (at most 100 blocks, as Slack takes), so tests can assert on what
// the bot said, where and in which thread. RateLimit and Fail
// queue faults for the next calls of a method. Posts to the response_url of an
// envelope are recorded too.
//
// With Options.Limits set (SlackLimits() for Slack's own), the Web API
// enforces rate limits as Slack does: per method and workspace by tier,
// chat.postMessage per channel, views.publish per user. A call beyond its
// budget is answered HTTP 429 with Retry-After in seconds and
// {"ok":false,"error":"ratelimited"}, which slack-go returns as
// *slack.RateLimitedError; RateLimitedCalls counts them per method. Without
// limits every call passes, as before.
//
// All methods are safe for concurrent use. The Wait… methods block until a
// condition holds or the context ends; tests never need to sleep.
package fakeslack
