package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Kind is what an update is to the application.
type Kind int

// Kinds of update.
const (
	// Ignored: nothing for the bot. A button pressed where it does not
	// belong still carries its CallbackID, to be answered.
	Ignored Kind = iota
	Private      // a person in their private chat with the bot
	Group        // a group addressed the bot: point to the private chat
	Member       // the person blocked or unblocked the bot
)

// Input is what a Private update carries; a Group update carries only
// InCommand, or InOther for a mention.
type Input int

// Inputs of a Private update.
const (
	InOther   Input = iota // a message without text the bot reads (a sticker, a photo, …)
	InText                 // Text
	InCommand              // Command and Arg
	InContact              // Phone, OwnContact
	InTooLong              // a text over Telegram's 4096 characters
	InEdited               // an edited message
	InButton               // a button press: CallbackID, CallbackData, CallbackMessage
)

// Update is a journaled update taken apart. Nothing in it is trusted beyond
// what Telegram guarantees: sender and chat ids are checked here (a
// private update's chat is its sender's), callback data is the
// application's to check.
type Update struct {
	ID     int64
	Kind   Kind
	Input  Input
	UserID int64
	ChatID int64

	FirstName    string // the sender's
	LanguageCode string // the sender's Telegram client's; may be empty

	Text       string // InText
	Command    string // InCommand: "start" of "/start@daftar_bot angkatan-2", lower case
	Arg        string // InCommand: "angkatan-2"
	Phone      string // InContact
	OwnContact bool   // InContact: the sender's own

	CallbackID      string // InButton (and an Ignored press, to be answered)
	CallbackData    string // InButton
	CallbackMessage int    // InButton: the message whose button was pressed

	MessageID int    // a message's id (0 for buttons and edits)
	Media     string // a message's content: "text", "photo", "document", "voice", "location", "video", "audio", "other"

	Blocked bool // Member: the bot is blocked now
}

// Handler handles one update.
type Handler func(ctx context.Context, u *Update)

// decode takes a journaled update apart, for a bot named username.
func decode(id int64, raw []byte, username string) (*Update, int64, error) {
	var upd models.Update
	if err := json.Unmarshal(raw, &upd); err != nil {
		return nil, 0, err
	}
	upd.ID = id
	u := classify(&upd, username)
	return &u, chatOf(&upd), nil
}

// decodeFetched decodes an update as getUpdates hands it out, in one
// pass that also finds its id. One that does not decode keeps its id
// and a nil upd, to be confirmed and dropped; ok is false without an id.
func decodeFetched(raw []byte, username string) (t triaged, ok bool) {
	t.u.Raw = raw
	var upd models.Update
	if err := json.Unmarshal(raw, &upd); err != nil {
		var head struct {
			ID int64 `json:"update_id"`
		}
		if json.Unmarshal(raw, &head) != nil || head.ID <= 0 {
			return t, false
		}
		t.u.ID = head.ID
		return t, true
	}
	if upd.ID <= 0 {
		return t, false
	}
	u := classify(&upd, username)
	t.u.ID, t.upd, t.chat = upd.ID, &u, chatOf(&upd)
	return t, true
}

// Decode takes the raw JSON of an update apart as the Client does for a
// bot named username. Tests of handlers use it.
func Decode(id int64, raw []byte, username string) (*Update, error) {
	u, _, err := decode(id, raw, username)
	return u, err
}

// chatOf returns the chat an update belongs to, so that one chat's
// updates are handled in order. Updates without a chat share key 0.
func chatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

func classify(u *models.Update, username string) Update {
	out := Update{ID: u.ID}
	switch {
	case u.Message != nil:
		m := u.Message
		if m.From == nil || m.From.IsBot || m.From.ID <= 0 {
			// Telegram's user ids are positive: anything else is forged.
			return out
		}
		out.UserID, out.ChatID, out.FirstName, out.LanguageCode = m.From.ID, m.Chat.ID, m.From.FirstName, m.From.LanguageCode
		out.MessageID, out.Media = m.ID, contentOf(m)
		if m.Chat.Type != models.ChatTypePrivate {
			if addressed(m, username) {
				out.Kind = Group
				if strings.HasPrefix(m.Text, "/") {
					// Only a command is read in a group (/id answers there).
					out.Input = InCommand
					out.Command, out.Arg = parseCommand(m.Text)
				}
			}
			return out
		}
		if m.Chat.ID != m.From.ID {
			return Update{ID: u.ID}
		}
		out.Kind = Private
		switch {
		case m.Contact != nil:
			out.Input, out.Phone, out.OwnContact = InContact, m.Contact.PhoneNumber, m.Contact.UserID == m.From.ID
		case utf8.RuneCountInString(m.Text) > MaxText:
			out.Input = InTooLong
		case strings.HasPrefix(m.Text, "/"):
			out.Input = InCommand
			out.Command, out.Arg = parseCommand(m.Text)
		case m.Text != "":
			out.Input, out.Text = InText, m.Text
		default:
			out.Input = InOther
		}
		return out
	case u.EditedMessage != nil:
		m := u.EditedMessage
		if m.From == nil || m.From.ID <= 0 || m.Chat.Type != models.ChatTypePrivate || m.Chat.ID != m.From.ID {
			return out
		}
		out.Kind, out.Input = Private, InEdited
		out.UserID, out.ChatID, out.FirstName, out.LanguageCode = m.From.ID, m.Chat.ID, m.From.FirstName, m.From.LanguageCode
		return out
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		out.UserID, out.ChatID, out.FirstName, out.LanguageCode = q.From.ID, q.From.ID, q.From.FirstName, q.From.LanguageCode
		out.CallbackID = q.ID
		var chat int64
		switch {
		case q.Message.Message != nil:
			chat, out.CallbackMessage = q.Message.Message.Chat.ID, q.Message.Message.ID
		case q.Message.InaccessibleMessage != nil:
			chat, out.CallbackMessage = q.Message.InaccessibleMessage.Chat.ID, q.Message.InaccessibleMessage.MessageID
		}
		if q.From.ID <= 0 || chat != q.From.ID {
			// Not a button of this person's private chat with the bot.
			out.CallbackMessage = 0
			return out
		}
		out.Kind, out.Input, out.CallbackData = Private, InButton, q.Data
		return out
	case u.MyChatMember != nil:
		m := u.MyChatMember
		if m.Chat.Type != models.ChatTypePrivate || m.Chat.ID != m.From.ID || m.From.ID <= 0 {
			return out
		}
		out.Kind, out.UserID, out.ChatID = Member, m.From.ID, m.Chat.ID
		out.FirstName, out.LanguageCode = m.From.FirstName, m.From.LanguageCode
		out.Blocked = m.NewChatMember.Type == models.ChatMemberTypeBanned
		return out
	}
	return out
}

// addressed reports whether a group message is meant for the bot: a
// command or a mention of its name.
func addressed(m *models.Message, username string) bool {
	if strings.HasPrefix(m.Text, "/") {
		// "/start@other_bot" is another bot's command.
		word, _, _ := strings.Cut(m.Text, " ")
		_, to, named := strings.Cut(word, "@")
		return !named || username == "" || strings.EqualFold(to, username)
	}
	return username != "" && strings.Contains(strings.ToLower(m.Text), "@"+strings.ToLower(username))
}

// parseCommand splits "/start@daftar_bot angkatan-2" into "start" and
// "angkatan-2".
func parseCommand(text string) (cmd, arg string) {
	text = strings.TrimPrefix(text, "/")
	cmd, arg, _ = strings.Cut(text, " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.ToLower(cmd), strings.TrimSpace(arg)
}

// contentOf names the kind of a message, for the organisers' lists of
// announcements. Persisted: only add.
func contentOf(m *models.Message) string {
	switch {
	case m.Text != "":
		return "text"
	case len(m.Photo) > 0:
		return "photo"
	case m.Document != nil:
		return "document"
	case m.Voice != nil:
		return "voice"
	case m.Location != nil:
		return "location"
	case m.Video != nil:
		return "video"
	case m.Audio != nil:
		return "audio"
	}
	return "other"
}

// Guard runs handle and turns a panic in it into a log line without
// personal data (the panic value may hold some: only its type is logged,
// or a runtime error's text) and a call to onPanic, which should answer
// the person and take the update out of the journal, so that it cannot
// crash the bot again after a restart.
func Guard(log *slog.Logger, handle, onPanic Handler) Handler {
	return func(ctx context.Context, u *Update) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			what := fmt.Sprintf("%T", r)
			if re, ok := r.(runtime.Error); ok {
				what = re.Error() // runtime errors carry no user data
			}
			log.Error("panic while handling an update", "update_id", u.ID, "panic", what, "stack", string(debug.Stack()))
			onPanic(ctx, u)
		}()
		handle(ctx, u)
	}
}
