package conversation

import (
	"html"
	"time"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// Conversation states, persisted in store.Conversation.State: only add.
const (
	StateIdle     = "idle"      // nothing in progress: new, declined, cancelled
	StateConsent  = "consent"   // the consent text is shown
	StateBatch    = "batch"     // choosing a batch
	StateField    = "field"     // answering Fields[Step]
	StateSummary  = "summary"   // the summary with Confirm / Edit is shown
	StateEditPick = "edit_pick" // choosing the answer to change
	StateDone     = "done"      // holds a seat or a place on a waiting list
	StateFull     = "full"      // the chosen batch filled up: the waiting list is offered
	StateCancel   = "cancel"    // asked to confirm cancelling the registration in Batch
	StateErase    = "erase"     // asked to confirm deleting all data
)

// reply is a message the conversation answers with, button one of its
// buttons: package telegram's wire types, which the handler stores and
// sends as they are.
type (
	reply  = telegram.Message
	button = telegram.Button
)

// inForm reports whether the person is somewhere in the registration form.
func inForm(state string) bool {
	switch state {
	case StateConsent, StateBatch, StateField, StateSummary, StateEditPick, StateFull:
		return true
	}
	return false
}

// inputKind is what a person's update carries, as package telegram tells
// it apart.
type inputKind = telegram.Input

const (
	inText    = telegram.InText
	inCommand = telegram.InCommand // /start, /status …
	inContact = telegram.InContact // a shared contact
	inButton  = telegram.InButton  // an inline button press
	inOther   = telegram.InOther   // a sticker, photo, voice note … where text is expected
	inTooLong = telegram.InTooLong // a text longer than Telegram allows
	inEdited  = telegram.InEdited  // an edited message
)

// Input is one thing a person did, already taken apart by the handler.
type Input struct {
	Kind       inputKind     // package telegram's classification of the update
	Text       string        // inText
	Command    string        // inCommand: lower case, without "/" and "@bot"
	Arg        string        // inCommand: the rest of the line
	Phone      string        // inContact
	OwnContact bool          // inContact: the contact is the sender's own
	Button     callback.Data // inButton
}

// World is what a transition may know besides the conversation, read in
// the same transaction: the person's standing in every course's batches
// (store.Tx.Standing), the courses as the organisers left them, and the
// conversation's course among them.
type World struct {
	store.Standing
	Catalog   store.Catalog
	Course    store.Course // the conversation's: its form, its batches
	Now       time.Time
	Retention int // days the course keeps personal data after a batch ends
	// Survey is what the survey keeps about the person: the open survey
	// a typed message outside the form answers, and what /dataku shows.
	Survey store.SurveyStanding
	// Intake is the intake rules' verdict on the answer the input gives
	// (intake.go).
	Intake IntakeVerdict
}

// SetCourse makes c the world's course.
func (w *World) SetCourse(c store.Course) {
	w.Course, w.Retention = c, c.RetentionDays
}

// CourseOf is the course conversation c is about: the one it names, else
// the course of its batch, else the first. A bot serving one course has
// no other.
func CourseOf(cat store.Catalog, c store.Conversation) store.Course {
	if co, ok := cat.Course(c.Course); ok {
		return co
	}
	if co, ok := cat.CourseOf(c.Batch); ok {
		return co
	}
	return cat.Courses[0]
}

// chooseCourse makes the course with id the conversation's; false when
// there is none.
func (t *turn) chooseCourse(id string) bool {
	c, ok := t.w.Catalog.Course(id)
	if ok {
		t.w.SetCourse(c)
		t.c.Course = c.ID
	}
	return ok
}

// EffectKind is what a transition asks the store to do in its transaction;
// Settle then tells the person how it went.
type EffectKind int

const (
	EffNone     EffectKind = iota // nothing to do: the outcome is final
	EffConfirm                    // take a seat in conv.Batch with conv.Answers
	EffJoinWait                   // join conv.Batch's waiting list with conv.Answers
	EffAmend                      // store conv.Answers on the registration in conv.Batch
	EffCancel                     // give up the seat or waiting place in batch
	EffAccept                     // take the seat offered in batch
	EffDecline                    // turn down the seat offered in batch
	EffErase                      // delete everything about the person
	EffSurvey                     // answer the survey of batch (survey.go)
	EffComing                     // "still coming?": yes, in batch (selection.go)
	EffGone                       // "still coming?": no, the seat in batch goes
)

// Effect is what a transition asks the store to do in the handler's
// transaction (EffNone: nothing), and about which batch.
type Effect struct {
	Kind   EffectKind
	Batch  string             // the batch it is about; empty: the conversation's
	Survey store.SurveyAnswer // EffSurvey: the answer
}

// BatchOf returns the id of the batch e is about in conversation c.
func (e Effect) BatchOf(c store.Conversation) string {
	if e.Batch == "" {
		return c.Batch
	}
	return e.Batch
}

// Outcome is the result of a transition: the conversation to store, the
// replies to send after the commit, and the effect to carry out first.
// Replies that can go as one message go as one (telegram.Join): each
// message costs the person a round trip to Telegram.
type Outcome struct {
	Conv    store.Conversation
	Replies []reply // package telegram's Message
	Effect  Effect
	Toast   string // the answer to a button press
	Clear   bool   // remove the buttons of the pressed message
	Scrub   bool   // set by the handler: data naming the person was deleted, rewrite the file soon
}

// turn accumulates one transition.
type turn struct {
	c      store.Conversation
	w      World
	m      *locale.Messages
	out    []reply
	toast  string
	effect Effect
	clear  bool
	// keyboardUp: the phone question's reply keyboard (Bagikan kontak)
	// was on the person's screen when the input came.
	keyboardUp bool
	// wentBack: the input took the person back (Kembali), so that a
	// message closing the phone question's keyboard says so.
	wentBack bool
}

func (t *turn) say(text string) { t.out = append(t.out, reply{Text: text}) }

func (t *turn) ask(r reply) { t.out = append(t.out, r) }

// goTo moves to a new question: buttons of older questions become stale.
func (t *turn) goTo(state string) {
	t.c.State = state
	t.c.Seq++
}

func (t *turn) btn(label, action, arg string) button {
	return button{Text: label, Data: callback.Data{Seq: t.c.Seq, Action: action, Arg: arg}.String()}
}

func (t *turn) field() store.Field {
	if t.c.Step < 0 || t.c.Step >= len(t.w.Course.Fields) {
		return store.Field{}
	}
	return t.w.Course.Fields[t.c.Step]
}

func (t *turn) onPhone() bool {
	return t.c.State == StateField && form.Of(t.field()).Keyboard == form.KeyboardContact
}

// available returns the batches the person may choose now (store's rule).
func (t *turn) available() []store.Batch {
	return t.w.Catalog.Available(t.w.Course, t.w.SignedUp, t.w.Now)
}

// canChoose reports whether the batch with id is one of available.
func (t *turn) canChoose(id string) bool {
	return t.w.Catalog.IsAvailable(t.w.Course, id, t.w.SignedUp, t.w.Now)
}

// overlap is the batch of any course that b's dates clash with among the
// person's seats and waiting places (store.Catalog.Overlap).
func (t *turn) overlap(b store.Batch) (store.Batch, bool) {
	return t.w.Catalog.Overlap(b, t.w.SignedUp)
}

// batchOf returns the batch with id of any course, and its course.
func (t *turn) batchOf(id string) (store.Batch, store.Course) {
	b, c, _ := t.w.Catalog.Batch(id)
	return b, c
}

// holds reports whether the person's registration in batch has status.
func (t *turn) holds(batch string, status store.Status) bool {
	return t.w.SignedUp.Holds(batch, status)
}

// rest is the state outside the form: done while the person holds a seat
// or a waiting place, idle otherwise.
func (t *turn) rest() string {
	if t.w.SignedUp.Active() {
		return StateDone
	}
	return StateIdle
}

func esc(s string) string { return html.EscapeString(s) }

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
