package conversation

import (
	"strconv"
	"testing"

	"github.com/daftar-bot/daftar/bot/callback"
)

// Ensure that parseSurveyArg reads back what surveyData writes and takes
// nothing else without a panic: any callback data a client sends.
func FuzzParseSurveyArg(f *testing.F) {
	for _, s := range []string{"angkatan-1_0_5", "angkatan-1_12_s", "a_01_1", "_0_1", "a_0", "a_-1_2", "a_b_c_d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		batch, a, ok := parseSurveyArg(arg)
		if !ok {
			return
		}
		if batch+"_"+strconv.Itoa(a.Step)+"_"+a.Value != arg || a.Step < 0 || !a.Button || a.Skip != (a.Value == surveySkip) {
			t.Fatalf("%q read as %q %+v", arg, batch, a)
		}
		cb, err := callback.Parse(surveyData(batch, a.Step, a.Value))
		if callback.ValidToken(arg) && (err != nil || cb.Arg != arg || cb.Action != ActSurvey) {
			t.Fatalf("%q does not round-trip: %+v %v", arg, cb, err)
		}
	})
}
