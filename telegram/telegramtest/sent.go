package telegramtest

import (
	"context"
	"time"
)

// Button is one button of an inline or reply keyboard.
type Button struct {
	Text           string
	CallbackData   string // inline keyboards
	URL            string // inline keyboards
	RequestContact bool   // reply keyboards
}

// Message is one successful action of the bot, as recorded by the server.
// Which fields are set depends on Method. A Message and its slices must not
// be modified.
type Message struct {
	Seq       int64  // global order of events across all chats, from 1
	Method    string // "sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument", "sendPhoto", "copyMessage", "deleteMessage", "answerCallbackQuery"
	ChatID    int64
	MessageID int64

	Text      string // with parse_mode HTML: tags removed, entities decoded; the toast for answerCallbackQuery
	RawText   string // text as sent
	ParseMode string

	Inline         [][]Button // inline keyboard (for edits: the new one)
	Keyboard       [][]Button // reply keyboard rows, when sent
	RemoveKeyboard bool       // a ReplyKeyboardRemove was sent

	FileName string // sendDocument, sendPhoto: the uploaded file's name, or the file_id/URL sent
	FileData []byte // the uploaded bytes
	Caption  string // caption with HTML tags removed and entities decoded

	FromChatID int64 // copyMessage: the source chat
	CopiedID   int64 // copyMessage: the source message id

	CallbackQueryID string // answerCallbackQuery
	ShowAlert       bool   // answerCallbackQuery

	Time time.Time
}

// recordLocked appends m to the log, stamps it and wakes waiters. s.mu must be
// held.
func (s *Server) recordLocked(m Message) Message {
	m.Seq = int64(len(s.sent)) + 1
	m.Time = time.Now()
	s.sent = append(s.sent, m)
	s.notifyLocked()
	return m
}

// Sent returns every successful bot action so far, in order.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.sent...)
}

// SentTo returns the bot's actions in one chat, in order.
func (s *Server) SentTo(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// LastSeq returns the Seq of the newest recorded action, 0 when none. Pass it
// to WaitSent to wait for what happens next.
func (s *Server) LastSeq() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.sent))
}

// Current returns a message the bot sent as it stands now, after edits: the
// original Message with Text, RawText, ParseMode and Inline replaced by the
// latest edit and Seq and Time of the latest change. It reports false for
// unknown, deleted and user messages.
func (s *Server) Current(chatID, messageID int64) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return Message{}, false
	}
	st := c.msgs[messageID]
	if st == nil || !st.bot {
		return Message{}, false
	}
	return st.msg, true
}

// WaitSent returns the first recorded action with Seq > after for which match
// (nil matches everything) returns true, waiting for it until ctx ends
// (ctx.Err() is returned) or the server is closed (ErrClosed). match is called
// without locks held.
func (s *Server) WaitSent(ctx context.Context, after int64, match func(Message) bool) (Message, error) {
	for {
		s.mu.Lock()
		// The log is only appended to: the recorded messages are never
		// written again, so they can be read after unlocking without a
		// copy (a subscriber behind by n messages copied them n times).
		batch := s.sent[min(max(after, 0), int64(len(s.sent))):len(s.sent):len(s.sent)]
		changed, closed := s.changed, s.closed
		s.mu.Unlock()
		for _, m := range batch {
			if match == nil || match(m) {
				return m, nil
			}
			after = m.Seq
		}
		if closed {
			return Message{}, ErrClosed
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return Message{}, ctx.Err()
		}
	}
}

// Subscribe returns a channel that receives every action recorded from now on,
// in order, and a function that stops the subscription and waits for it to
// end. The channel is closed after cancel is called or the server is closed.
// A slow reader delays only its own subscription.
func (s *Server) Subscribe() (<-chan Message, func()) {
	ch := make(chan Message)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		close(ch)
		return ch, func() {}
	}
	after := int64(len(s.sent))
	s.subs.Add(1)
	s.mu.Unlock()

	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan struct{})
	go func() {
		defer s.subs.Done()
		defer close(exited)
		defer close(ch)
		for {
			m, err := s.WaitSent(ctx, after, nil)
			if err != nil {
				return
			}
			select {
			case ch <- m:
				after = m.Seq
			case <-ctx.Done():
				return
			case <-s.done:
				return
			}
		}
	}()
	return ch, func() {
		cancel()
		<-exited
	}
}
