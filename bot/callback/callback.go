package callback

import (
	"errors"
	"strconv"
	"strings"
)

// Data is what a button press asks for. Seq is the conversation's (or the
// organiser screen's) question counter when the button was sent: a press
// on an older message is stale.
type Data struct {
	Seq    int64
	Action string
	Arg    string
}

// MaxLen is Telegram's limit on callback_data.
const MaxLen = 64

// ErrMalformed is returned by Parse for anything String does not write.
var ErrMalformed = errors.New("malformed callback data")

// String writes the data: the sequence number in base 36, the action and,
// when there is one, the argument.
func (d Data) String() string {
	s := strconv.FormatInt(d.Seq, 36) + ":" + d.Action
	if d.Arg != "" {
		s += ":" + d.Arg
	}
	return s
}

// Parse parses "seq:action[:arg]" as written by Data.String.
func Parse(data string) (Data, error) {
	if len(data) == 0 || len(data) > MaxLen {
		return Data{}, ErrMalformed
	}
	parts := strings.SplitN(data, ":", 3)
	if len(parts) < 2 {
		return Data{}, ErrMalformed
	}
	seq, err := strconv.ParseInt(parts[0], 36, 64)
	// Only the digits String writes: no sign, capitals or leading zeros.
	if err != nil || seq < 0 || strconv.FormatInt(seq, 36) != parts[0] {
		return Data{}, ErrMalformed
	}
	c := Data{Seq: seq, Action: parts[1]}
	if len(parts) == 3 {
		c.Arg = parts[2]
	}
	if !ValidToken(c.Action) || (len(parts) == 3 && !ValidToken(c.Arg)) {
		return Data{}, ErrMalformed
	}
	return c, nil
}

// ValidToken accepts what the bot itself puts in callback data: batch ids,
// small numbers and action names.
func ValidToken(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Index parses a button's index argument against n choices.
func Index(arg string, n int) (int, bool) {
	i, err := strconv.Atoi(arg)
	if err != nil || strconv.Itoa(i) != arg || i < 0 || i >= n {
		return 0, false
	}
	return i, true
}
