package blocks_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The rule this test holds, so that no text reaches Slack around the one
// escaping choke point (the mrkdwn type of text.go):
//
// In package blocks (non-test files):
//   - a mrkdwn value is only composed in text.go (mrkdwn{…} nowhere else);
//   - nothing converts to literal: lit only takes constants;
//   - Slack text objects are only made by textObject (mrkdwn, from a
//     mrkdwn value) and plainText (plain_text, which Slack never parses);
//   - no code assigns to a text object's Text or a mrkdwn's s.
//
// Everywhere else in the module (bot/fakeslack, a test double, excepted):
//   - slack-go and socketmode are used only through the names in
//     allowedSlack: clients, options, inbound events and errors, and
//     MsgOptionTS. Text, blocks and attachments can only come from
//     blocks.Message.MsgOptions, and Home tab views from blocks.View.Publish;
//   - no socket-mode ack carries a payload, and no topic, purpose, status
//     or file upload is set.

// allowedSlack are the slack-go and socketmode names code outside package
// blocks may use: none of them carries text to Slack.
var allowedSlack = regexp.MustCompile(`^(` +
	`slack\.(Client|New|Option|Option(HTTPClient|APIURL|AppLevelToken|Retry|Debug|Log)|MsgOption|MsgOptionTS|` +
	`InteractionCallback|InteractionType\w+|SlashCommand|RateLimitedError|SlackErrorResponse|StatusCodeError)|` +
	`socketmode\.(Client|New|Option(PingInterval|Debug|Log)|Event|EventType\w+|Request))$`)

// textMethods are Slack client methods that send text without a message.
var textMethods = regexp.MustCompile(`^(SetTopicOfConversation|SetPurposeOfConversation|SetUserCustomStatus|UploadFile|PostWebhook)`)

func TestOneChokePoint(t *testing.T) {
	root, files := filepath.Join("..", ".."), 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "bot/fakeslack") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		files++
		if filepath.Dir(rel) == "bot/blocks" {
			checkInside(t, rel, f)
		} else {
			checkOutside(t, rel, f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read %d Go files; is the module root %s?", files, root)
	}
}

// checkInside holds the rule in package blocks.
func checkInside(t *testing.T, file string, f *ast.File) {
	t.Helper()
	base := filepath.Base(file)
	for _, decl := range f.Decls {
		fn, _ := decl.(*ast.FuncDecl)
		ast.Inspect(decl, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if isIdent(n.Type, "mrkdwn") && base != "text.go" {
					t.Errorf("%s: mrkdwn{…} outside text.go", file)
				}
				if isSel(n.Type, "slack", "TextBlockObject") {
					t.Errorf("%s: a slack.TextBlockObject literal; use textObject or plainText", file)
				}
			case *ast.CallExpr:
				if isIdent(n.Fun, "literal") {
					t.Errorf("%s: a conversion to literal; lit takes constants only", file)
				}
				if isSel(n.Fun, "slack", "NewTextBlockObject") && (fn == nil || (fn.Name.Name != "textObject" && fn.Name.Name != "plainText")) {
					t.Errorf("%s: slack.NewTextBlockObject outside textObject and plainText", file)
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if s, ok := lhs.(*ast.SelectorExpr); ok && (s.Sel.Name == "Text" || (s.Sel.Name == "s" && base != "text.go")) {
						t.Errorf("%s: assigns to .%s", file, s.Sel.Name)
					}
				}
			}
			return true
		})
	}
}

// checkOutside holds the rule everywhere but package blocks.
func checkOutside(t *testing.T, file string, f *ast.File) {
	t.Helper()
	names := map[string]string{} // local name -> slack or socketmode
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		pkg := map[string]string{"github.com/slack-go/slack": "slack", "github.com/slack-go/slack/socketmode": "socketmode"}[path]
		if pkg == "" {
			continue
		}
		local := pkg
		if imp.Name != nil {
			local = imp.Name.Name
		}
		names[local] = pkg
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && names[x.Name] != "" {
				if name := names[x.Name] + "." + n.Sel.Name; !allowedSlack.MatchString(name) {
					t.Errorf("%s: %s outside package blocks; post a blocks.Message with MsgOptions", file, name)
				}
			}
		case *ast.CallExpr:
			if s, ok := n.Fun.(*ast.SelectorExpr); ok {
				if s.Sel.Name == "Ack" && len(n.Args) > 1 {
					t.Errorf("%s: a socket-mode ack with a payload", file)
				}
				if textMethods.MatchString(s.Sel.Name) {
					t.Errorf("%s: %s sends text around package blocks", file, s.Sel.Name)
				}
			}
		}
		return true
	})
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func isSel(e ast.Expr, pkg, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && isIdent(s.X, pkg) && s.Sel.Name == name
}
