package fakeslack

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
)

// webClient is a real slack-go Web API client pointed at a fresh fake.
func webClient(t *testing.T, token string) (*Server, *slack.Client) {
	t.Helper()
	s := startServer(t, Options{})
	return s, slack.New(token, slack.OptionAPIURL(s.APIURL()))
}

func TestMessagesThreadsAndUpdates(t *testing.T) {
	s, api := webClient(t, "xoxb-test")
	blocks := slack.MsgOptionBlocks(slack.NewDividerBlock())
	_, root, err := api.PostMessage("C1", slack.MsgOptionText("root", false), blocks)
	if err != nil {
		t.Fatal(err)
	}
	_, reply, err := api.PostMessage("C1", slack.MsgOptionText("reply", false), slack.MsgOptionTS(root))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessage("C1", root, slack.MsgOptionText("root v2", false)); err != nil {
		t.Fatal(err)
	}
	eph, err := api.PostEphemeral("C1", "U1", slack.MsgOptionText("only you", false))
	if err != nil {
		t.Fatal(err)
	}
	if !(root < reply && reply < eph) {
		t.Errorf("timestamps not increasing: %s %s %s", root, reply, eph)
	}
	want := []Message{
		{Channel: "C1", TS: root, Text: "root v2", Blocks: json.RawMessage(`[{"type":"divider"}]`), Updates: 1},
		{Channel: "C1", TS: reply, ThreadTS: root, Text: "reply"},
		{Channel: "C1", TS: eph, Text: "only you", Ephemeral: true, User: "U1"},
	}
	if diff := cmp.Diff(want, s.Messages("C1")); diff != "" {
		t.Errorf("Messages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[1:2], s.Thread("C1", root)); diff != "" {
		t.Errorf("Thread (-want +got):\n%s", diff)
	}
	if _, _, _, err := api.UpdateMessage("C1", "1.2", slack.MsgOptionText("x", false)); err == nil || err.Error() != "message_not_found" {
		t.Errorf("update of unknown ts: %v", err)
	}
}

func TestUsersAndGroups(t *testing.T) {
	s, api := webClient(t, "xoxb-test")
	s.SetUser("U1", "alice")
	s.SetUserGroup("S1", "oncall", "U1", "U2")
	u, err := api.GetUserInfo("U1")
	if err != nil || u.ID != "U1" || u.Name != "alice" || u.RealName != "alice" || u.TZ == "" {
		t.Errorf("GetUserInfo = %+v, %v", u, err)
	}
	members, err := api.GetUserGroupMembers("S1")
	if diff := cmp.Diff([]string{"U1", "U2"}, members); err != nil || diff != "" {
		t.Errorf("GetUserGroupMembers: %v %s", err, diff)
	}
	if _, err := api.GetUserGroupMembers("S9"); err == nil || err.Error() != "no_such_subteam" {
		t.Errorf("unknown group: %v", err)
	}
	groups, err := api.GetUserGroups(slack.GetUserGroupsOptionIncludeUsers(true))
	if err != nil || len(groups) != 1 || groups[0].ID != "S1" || groups[0].Handle != "oncall" || len(groups[0].Users) != 2 {
		t.Errorf("GetUserGroups = %+v, %v", groups, err)
	}
	auth, err := api.AuthTest()
	if err != nil || auth.UserID != BotUserID || auth.BotID != BotID || auth.TeamID != TeamID {
		t.Errorf("AuthTest = %+v, %v", auth, err)
	}
}

func TestFaults(t *testing.T) {
	s, api := webClient(t, "xoxb-test")
	s.RateLimit("chat.postMessage", 1, 1500*time.Millisecond)
	s.Fail("chat.postMessage", 1, "fatal_error")
	post := func() error { _, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false)); return err }

	var rl *slack.RateLimitedError
	if err := post(); !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Errorf("first post: %v, want RateLimitedError after 2s", err)
	}
	if err := post(); err == nil || err.Error() != "fatal_error" {
		t.Errorf("second post: %v, want fatal_error", err)
	}
	if err := post(); err != nil {
		t.Errorf("third post: %v", err)
	}
	var statuses []int
	for _, c := range s.Calls() {
		statuses = append(statuses, c.Status)
	}
	if diff := cmp.Diff([]int{429, 200, 200}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestAuthAndUnknownMethod(t *testing.T) {
	s, api := webClient(t, "xoxb-wrong")
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false)); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong bot token: %v", err)
	}
	resp, err := http.PostForm(s.APIURL()+"no.such", url.Values{"token": {"xoxb-test"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.OK || body.Error != "unknown_method" {
		t.Errorf("unknown method: %+v, %v", body, err)
	}
}

func TestWaitCall(t *testing.T) {
	s, api := webClient(t, "xoxb-test")
	go func() { _, _, _ = api.PostMessage("C2", slack.MsgOptionText("later", false)) }()
	c, err := s.WaitCall(ctxT(t), func(c Call) bool { return c.Method == "chat.postMessage" && c.Form.Get("channel") == "C2" })
	if err != nil || c.Form.Get("text") != "later" || c.Status != http.StatusOK {
		t.Errorf("WaitCall = %+v, %v", c, err)
	}
	// A past call matches too.
	if _, err := s.WaitCall(ctxT(t), func(c Call) bool { return c.Form.Get("channel") == "C2" }); err != nil {
		t.Error(err)
	}
}
