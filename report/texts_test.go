package report

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that no report text is empty in any language and that both
// languages use the same format verbs in the same order.
func TestTexts(t *testing.T) {
	cats := Catalogues()
	for lang, rm := range cats {
		if rm.Lang != lang {
			t.Errorf("the texts of %q say they are %q", lang, rm.Lang)
		}
		checkTexts(t, cats[DefaultLanguage], rm)
	}
	for _, rm := range []*Texts{TextsOf("id"), TextsOf("en")} {
		if names := sheetNames("", []store.Batch{{Name: rm.SheetSummary}}); names[0] != rm.SheetSummary {
			t.Errorf("%s: SheetSummary %q is not a valid sheet name", rm.Lang, rm.SheetSummary)
		}
	}
	if TextsOf("xx") != &textsID {
		t.Error("an unknown language does not fall back to Indonesian")
	}
}

// checkTexts fails t for every text that is empty in def or in other, and
// for every text whose format verbs differ between them.
func checkTexts(t *testing.T, def, other *Texts) {
	t.Helper()
	verbs := regexp.MustCompile(`%[-+# 0]*[0-9]*[a-z]`)
	a, b := reflect.ValueOf(*def), reflect.ValueOf(*other)
	for i := range a.NumField() {
		name := a.Type().Field(i).Name
		fa, fb := a.Field(i), b.Field(i)
		switch fa.Kind() {
		case reflect.String:
			if fa.String() == "" || fb.String() == "" {
				t.Errorf("%s: %s is empty in %s or %s", name, name, def.Lang, other.Lang)
			}
			if va, vb := verbs.FindAllString(fa.String(), -1), verbs.FindAllString(fb.String(), -1); !reflect.DeepEqual(va, vb) {
				t.Errorf("%s: verbs differ: %s %v, %s %v", name, def.Lang, va, other.Lang, vb)
			}
		case reflect.Array:
			for j := range fa.Len() {
				if fa.Index(j).String() == "" || fb.Index(j).String() == "" {
					t.Errorf("%s[%d] is empty", name, j)
				}
			}
		}
	}
}
