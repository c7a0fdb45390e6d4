package locale

import (
	"regexp"
	"testing"

	"github.com/daftar-bot/daftar/form"
)

// Ensure that every catalogue of the registry is complete and consistent:
// its parts are of its language, it has the texts of every field kind,
// and its command names are valid (bot's TestLanguages_Commands checks
// that they name commands that exist).
func TestLanguages(t *testing.T) {
	if len(languages.list) < 2 || languages.list[0].Code != "id" {
		t.Fatalf("languages = %v, want Indonesian first", Codes())
	}
	valid := regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	seen := map[string]bool{}
	for _, c := range languages.list {
		if c.Code == "" || seen[c.Code] || c.Messages == nil || c.Organiser == nil || c.Report == nil {
			t.Fatalf("catalogue %q: listed twice or incomplete", c.Code)
		}
		seen[c.Code] = true
		if c.Messages.Lang != c.Code || c.Organiser.Lang != c.Code || c.Report.Lang != c.Code {
			t.Errorf("catalogue %q bundles texts of another language", c.Code)
		}
		if For(c.Code) != c || !Speaks(c.Code) {
			t.Errorf("catalogue(%q) is not its catalogue", c.Code)
		}
		if _, ok := c.Messages.Errors[form.CodeEmpty]; !ok {
			t.Errorf("%s: no text for %s", c.Code, form.CodeEmpty)
		}
		for _, k := range form.Kinds() {
			if k.Hint != "" && c.Messages.Hints[k.Hint] == "" {
				t.Errorf("%s: kind %s has no hint %q", c.Code, k.Kind, k.Hint)
			}
			for _, code := range k.Errors {
				if c.Messages.Errors[code] == "" {
					t.Errorf("%s: kind %s has no text for %s", c.Code, k.Kind, code)
				}
			}
		}
		for id, name := range c.Commands {
			if !valid.MatchString(name) {
				t.Errorf("%s: command %q named %q", c.Code, id, name)
			}
			if Canonical(name) != id {
				t.Errorf("%s: /%s runs /%s, want /%s", c.Code, name, Canonical(name), id)
			}
		}
		for alias, id := range c.Aliases {
			if !valid.MatchString(alias) || Canonical(alias) != id {
				t.Errorf("%s: alias %q of %q", c.Code, alias, id)
			}
		}
	}
	if For("xx") != languages.list[0] || Speaks("xx") {
		t.Error("an unknown language does not fall back to Indonesian")
	}
}
