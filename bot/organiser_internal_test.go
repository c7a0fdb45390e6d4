package bot

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/desk"
	"github.com/daftar-bot/daftar/bot/locale"
)

// Ensure that no organiser action can be taken for a participant action
// (conversation/actions.go, read from the source so that actions added
// there are checked too), and that the callback data of the longest
// organiser buttons passes callback.Parse.
func TestOrganiserActions(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("conversation", "actions.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	participant := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if lit, ok := vs.Values[i].(*ast.BasicLit); ok && strings.HasPrefix(name.Name, "Act") && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				participant[v] = name.Name
			}
		}
		return true
	})
	if len(participant) < 10 {
		t.Fatalf("found only %d participant actions in conversation/actions.go: %v", len(participant), participant)
	}
	for action := range organiserActions {
		if name, ok := participant[action]; ok {
			t.Errorf("organiser action %q is also the participant action %s", action, name)
		}
		if !callback.ValidToken(action) {
			t.Errorf("organiser action %q is not a valid token", action)
		}
	}

	batch := strings.Repeat("x", 32) // the longest batch id the config takes
	longest := []callback.Data{
		{Seq: 1<<53 - 1, Action: actRollToggle, Arg: batch + "_255_99"}, // user ids are below 2^53
		{Seq: 1<<53 - 1, Action: desk.ActListShow, Arg: batch},
		{Seq: 1<<32 - 1, Action: actAudience, Arg: audBatch + batch},
		{Seq: 99, Action: actRollPage, Arg: batch + "_255"},
	}
	for _, cb := range longest {
		data := cb.String()
		got, err := callback.Parse(data)
		if err != nil || got != cb {
			t.Errorf("callback.Parse(%q) = %+v, %v; want %+v", data, got, err, cb)
		}
	}
}

// Ensure that every organiser command has a name Telegram accepts in
// every language and a description in every catalogue.
func TestOrganiserCommands(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	seen := map[string]bool{}
	for _, c := range organiserCommands() {
		names := map[string]bool{}
		for _, cat := range locale.All() {
			names[cat.Command(c.id)] = true
		}
		for name := range names {
			if !valid.MatchString(name) {
				t.Errorf("command %q is not a valid Telegram command", name)
			}
			if seen[name] {
				t.Errorf("command %q is listed twice", name)
			}
			seen[name] = true
		}
		for _, cat := range locale.All() {
			if c.desc(cat) == "" {
				t.Errorf("command %q has no description", c.id)
			}
		}
	}
}

// Ensure that every language's command names and aliases name commands
// that exist: the participants' and those of the organisers' table.
func TestLanguages_Commands(t *testing.T) {
	canonical := map[string]bool{"batal": true, "bahasa": true, "dataku": true, "hapusdata": true, "bantuan": true, "jadwal": true}
	for _, c := range organiserCommands() {
		canonical[c.id] = true
	}
	for _, c := range locale.All() {
		for id, name := range c.Commands {
			if !canonical[id] {
				t.Errorf("%s: command %q named %q", c.Code, id, name)
			}
		}
		for alias, id := range c.Aliases {
			if !canonical[id] {
				t.Errorf("%s: alias %q of %q", c.Code, alias, id)
			}
		}
	}
}
