package telegram

import "github.com/go-telegram/bot/models"

// Message is a text message with its buttons, as the application writes it.
// Recorded replies are stored as its JSON: the field names are persisted
// (databases written by earlier releases hold them), so only add.
type Message struct {
	Text     string     `json:"text"` // HTML
	Inline   [][]Button `json:"inline,omitempty"`
	Keyboard [][]Button `json:"keyboard,omitempty"` // a reply keyboard
	Remove   bool       `json:"remove,omitempty"`   // remove the reply keyboard
}

// Button is a button of an inline keyboard (Data or URL) or of a reply
// keyboard (Text, Contact).
type Button struct {
	Text    string `json:"text"`
	Data    string `json:"data,omitempty"` // callback_data
	URL     string `json:"url,omitempty"`
	Contact bool   `json:"contact,omitempty"` // request_contact
}

// Outgoing is what an outbox entry sends: a message, a copy of a
// message in another chat (copyMessage keeps media and formatting), or a
// document.
type Outgoing struct {
	Message  Message
	Copy     *Copy
	Document *Document
}

// Copy names the message to copy.
type Copy struct {
	FromChat  int64
	MessageID int
}

// Command is one entry of a command menu.
type Command struct {
	Command     string
	Description string
}

// Menu is a command menu for one language (empty: every language without
// its own) in every private chat, or in one chat when Chat is set.
type Menu struct {
	Lang     string
	Chat     int64
	Commands []Command
}

// Reply markup as Telegram expects it. The library's InlineKeyboardButton
// always sends an empty copy_text object, which Telegram has answered
// with BUTTON_COPY_TEXT_INVALID; these types send only what is set.
type (
	wireInline struct {
		InlineKeyboard [][]wireButton `json:"inline_keyboard"`
	}
	wireButton struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data,omitempty"`
		URL          string `json:"url,omitempty"`
	}
	wireKeyboard struct {
		Keyboard       [][]wireKey `json:"keyboard"`
		ResizeKeyboard bool        `json:"resize_keyboard"`
	}
	wireKey struct {
		Text           string `json:"text"`
		RequestContact bool   `json:"request_contact,omitempty"`
	}
)

func markup(m Message) models.ReplyMarkup {
	switch {
	case len(m.Inline) > 0:
		w := wireInline{InlineKeyboard: make([][]wireButton, len(m.Inline))}
		for i, row := range m.Inline {
			for _, btn := range row {
				w.InlineKeyboard[i] = append(w.InlineKeyboard[i], wireButton{Text: btn.Text, CallbackData: btn.Data, URL: btn.URL})
			}
		}
		return w
	case len(m.Keyboard) > 0:
		w := wireKeyboard{Keyboard: make([][]wireKey, len(m.Keyboard)), ResizeKeyboard: true}
		for i, row := range m.Keyboard {
			for _, btn := range row {
				w.Keyboard[i] = append(w.Keyboard[i], wireKey{Text: btn.Text, RequestContact: btn.Contact})
			}
		}
		return w
	case m.Remove:
		return models.ReplyKeyboardRemove{RemoveKeyboard: true}
	}
	return nil
}
