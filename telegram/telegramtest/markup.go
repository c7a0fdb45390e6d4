package telegramtest

import (
	"encoding/json"
	"strings"
)

// inlineButton is Telegram's InlineKeyboardButton with the fields that make a
// button do something.
type inlineButton struct {
	Text                         string          `json:"text"`
	URL                          string          `json:"url,omitempty"`
	CallbackData                 string          `json:"callback_data,omitempty"`
	WebApp                       json.RawMessage `json:"web_app,omitempty"`
	LoginURL                     json.RawMessage `json:"login_url,omitempty"`
	SwitchInlineQuery            *string         `json:"switch_inline_query,omitempty"`
	SwitchInlineQueryCurrentChat *string         `json:"switch_inline_query_current_chat,omitempty"`
	SwitchInlineQueryChosenChat  json.RawMessage `json:"switch_inline_query_chosen_chat,omitempty"`
	CopyText                     *copyText       `json:"copy_text,omitempty"`
	CallbackGame                 json.RawMessage `json:"callback_game,omitempty"`
	Pay                          bool            `json:"pay,omitempty"`
}

type copyText struct {
	Text string `json:"text"`
}

// hasAction reports whether pressing the button would do anything; Telegram
// rejects inline buttons that would not.
func (b inlineButton) hasAction() bool {
	return b.URL != "" || b.CallbackData != "" || b.WebApp != nil || b.LoginURL != nil ||
		b.SwitchInlineQuery != nil || b.SwitchInlineQueryCurrentChat != nil ||
		b.SwitchInlineQueryChosenChat != nil || (b.CopyText != nil && b.CopyText.Text != "") ||
		b.CallbackGame != nil || b.Pay
}

// keyboardButton is Telegram's KeyboardButton; a plain string is also accepted.
type keyboardButton struct {
	Text           string `json:"text"`
	RequestContact bool   `json:"request_contact,omitempty"`
}

func (b *keyboardButton) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, &b.Text); err == nil {
		return nil
	}
	type plain keyboardButton
	return json.Unmarshal(data, (*plain)(b))
}

// markup is a parsed reply_markup parameter.
type markup struct {
	inline   [][]Button
	keyboard [][]Button
	remove   bool
	// inlineJSON is the InlineKeyboardMarkup as Telegram returns it in a
	// Message, nil when there is none; it also decides "not modified".
	inlineJSON json.RawMessage
}

// parseMarkup parses reply_markup; an empty string is no markup.
func parseMarkup(s string) (markup, *apiError) {
	var mk markup
	if strings.TrimSpace(s) == "" {
		return mk, nil
	}
	var w struct {
		InlineKeyboard *[][]inlineButton  `json:"inline_keyboard"`
		Keyboard       [][]keyboardButton `json:"keyboard"`
		RemoveKeyboard bool               `json:"remove_keyboard"`
	}
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return mk, badRequest("can't parse reply keyboard markup JSON object")
	}
	mk.remove = w.RemoveKeyboard
	for _, row := range w.Keyboard {
		var out []Button
		for _, b := range row {
			if b.Text == "" {
				return mk, badRequest("can't parse keyboard button: Field \"text\" must be of type String")
			}
			out = append(out, Button{Text: b.Text, RequestContact: b.RequestContact})
		}
		mk.keyboard = append(mk.keyboard, out)
	}
	if w.InlineKeyboard == nil {
		return mk, nil
	}
	for _, row := range *w.InlineKeyboard {
		var out []Button
		for _, b := range row {
			switch {
			case b.Text == "":
				return mk, badRequest("BUTTON_TEXT_INVALID")
			case len(b.CallbackData) > 64:
				return mk, badRequest("BUTTON_DATA_INVALID")
			case !b.hasAction():
				return mk, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			}
			out = append(out, Button{Text: b.Text, CallbackData: b.CallbackData, URL: b.URL})
		}
		mk.inline = append(mk.inline, out)
	}
	if len(mk.inline) > 0 {
		mk.inlineJSON, _ = json.Marshal(map[string]any{"inline_keyboard": *w.InlineKeyboard})
	}
	return mk, nil
}

// applyTo sets or removes reply_markup in a wire message.
func (mk markup) applyTo(wire map[string]any) {
	if mk.inlineJSON != nil {
		wire["reply_markup"] = mk.inlineJSON
	} else {
		delete(wire, "reply_markup")
	}
}
