package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Sentinel errors of announcements.
var (
	// ErrAnnouncementSent is returned when a draft is changed or cancelled
	// after it went into the outbox.
	ErrAnnouncementSent = errors.New("announcement already sent")
	// ErrAnnouncementCancelled is returned when a cancelled draft is used.
	ErrAnnouncementCancelled = errors.New("announcement was cancelled")
	// ErrAnnouncementNotReady is returned by SendAnnouncement when the draft
	// has no message or no audience yet.
	ErrAnnouncementNotReady = errors.New("announcement has no message or audience yet")
	// ErrNoRecipients is returned by SendAnnouncement when the audience is
	// empty.
	ErrNoRecipients = errors.New("nobody to send the announcement to")
)

// AnnouncementStatus is where an announcement stands. Persisted: only add.
type AnnouncementStatus string

// Announcement statuses, in the order a draft goes through them.
const (
	AnnouncementAwaiting  AnnouncementStatus = "awaiting"  // the bot asked for the message
	AnnouncementDraft     AnnouncementStatus = "draft"     // the message is there; audience, preview
	AnnouncementSent      AnnouncementStatus = "sent"      // in the outbox, one entry per recipient
	AnnouncementCancelled AnnouncementStatus = "cancelled" // dropped before it was sent
)

// Audience says who an announcement goes to. Persisted: only add.
type Audience string

// Audiences. A batch is AudienceBatch(id).
const (
	AudienceAll      Audience = "all"      // everyone holding a seat in any batch
	AudienceWaiting  Audience = "waiting"  // everyone on a waiting list
	AudienceEveryone Audience = "everyone" // everyone who ever talked to the bot and was not erased
)

const (
	audienceBatchPrefix         = "batch:"
	audienceApplicantsPrefix    = "applicants:"
	audienceCoursePrefix        = "course:"
	audienceCourseWaitingPrefix = "course-waiting:"
)

// AudienceCourse is the audience of the people holding a seat in a batch
// of course c; AudienceCourseWaiting of those on a waiting list of one.
// The course's batches are part of the audience, as they are when it is
// chosen: the store knows no config.
func AudienceCourse(c Course) Audience { return courseAudience(audienceCoursePrefix, c) }

// AudienceCourseWaiting is the audience of the people on the waiting list
// of a batch of course c.
func AudienceCourseWaiting(c Course) Audience { return courseAudience(audienceCourseWaitingPrefix, c) }

func courseAudience(prefix string, c Course) Audience {
	ids := make([]string, len(c.Batches))
	for i, b := range c.Batches {
		ids[i] = b.ID
	}
	return Audience(prefix + c.ID + ":" + strings.Join(ids, ","))
}

// Course returns the course of a course audience, its batches, and
// whether it is the course's waiting list.
func (a Audience) Course() (id string, batches []string, waiting, ok bool) {
	rest, ok := strings.CutPrefix(string(a), audienceCoursePrefix)
	if !ok {
		if rest, ok = strings.CutPrefix(string(a), audienceCourseWaitingPrefix); !ok {
			return "", nil, false, false
		}
		waiting = true
	}
	id, list, _ := strings.Cut(rest, ":")
	if list != "" {
		batches = strings.Split(list, ",")
	}
	return id, batches, waiting, true
}

// AudienceBatch is the audience of the people holding a seat in batch.
func AudienceBatch(batch string) Audience { return Audience(audienceBatchPrefix + batch) }

// Batch returns the batch of a batch audience.
func (a Audience) Batch() (string, bool) {
	return strings.CutPrefix(string(a), audienceBatchPrefix)
}

// AudienceApplicants is the audience of the people still in a selection
// batch's selection: applicants, the selected (confirmed or not yet) and
// reserves. Organisers tell them of a document check or a test.
func AudienceApplicants(batch string) Audience {
	return Audience(audienceApplicantsPrefix + batch)
}

// Applicants returns the batch of an AudienceApplicants audience.
func (a Audience) Applicants() (string, bool) {
	return strings.CutPrefix(string(a), audienceApplicantsPrefix)
}

// inSelection reports whether status is one of AudienceApplicants'.
func inSelection(s Status) bool {
	switch s {
	case StatusApplied, StatusSelected, StatusReserve:
		return true
	}
	return false
}

// Announcement is a message an organiser sent to the bot, copied (with
// copyMessage, so media and formatting stay intact) to an audience. Its id
// is fixed when the draft is created, and the outbox keys of its copies
// are made from it, so it goes to every recipient at most once.
type Announcement struct {
	ID         uint64             `json:"id"`
	By         int64              `json:"by"`             // the organiser's user id
	ChatID     int64              `json:"chat_id"`        // the organiser's chat: message, preview, progress
	Lang       string             `json:"lang,omitempty"` // the organiser's language, for the progress and report
	MessageID  int                `json:"message_id,omitempty"`
	Content    string             `json:"content,omitempty"` // "text", "photo", … for the organisers' lists
	Audience   Audience           `json:"audience,omitempty"`
	Status     AnnouncementStatus `json:"status"`
	Recipients int                `json:"recipients,omitempty"`  // outbox entries made by Send
	ProgressID int                `json:"progress_id,omitempty"` // the progress message in ChatID
	// ProgressSending is set before the first progress message is asked
	// for and cleared when its id is recorded or Telegram refused it: set
	// without ProgressID, the message may be on screen with an id nobody
	// knows, and no second one is sent.
	ProgressSending bool `json:"progress_sending,omitempty"`
	// FirstCopy and LastCopy are the outbox ids of its copies, enqueued
	// together by SendAnnouncement: a copy still queued has an id between
	// them (CopiesQueued). Both 0 for an announcement sent by a daftar
	// that did not record them.
	FirstCopy  uint64    `json:"first_copy,omitempty"`
	LastCopy   uint64    `json:"last_copy,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	SentAt     time.Time `json:"sent_at,omitzero"`
	ReportedAt time.Time `json:"reported_at,omitzero"` // the final report was shown
}

// OrganiserState is what the bot waits for from one organiser, kept in the
// store so that a restart does not turn an announcement into a reply to the
// participant conversation.
type OrganiserState struct {
	UserID int64 `json:"user_id"`
	// Awaiting is the announcement whose message the organiser's next
	// message is; 0 when none.
	Awaiting uint64 `json:"awaiting,omitempty"`
}

// Recipient is one chat an announcement goes to.
type Recipient struct {
	UserID int64
	ChatID int64
}

var (
	bucketAnnouncements = []byte("announcements") // id → Announcement
	bucketOrganisers    = []byte("organisers")    // user id → OrganiserState
)

// AnnouncementKey is the outbox idempotency key of announcement id's copy
// to userID.
func AnnouncementKey(id uint64, userID int64) string {
	return fmt.Sprintf("announcement/%d/%d", id, userID)
}

// OrganiserState returns userID's state; the zero state when none is stored.
func (tx *Tx) OrganiserState(userID int64) (OrganiserState, error) {
	s := OrganiserState{UserID: userID}
	if _, err := getJSON(tx.tx.Bucket(bucketOrganisers), i64(userID), &s); err != nil {
		return OrganiserState{UserID: userID}, fmt.Errorf("organiser state: %w", err)
	}
	return s, nil
}

func (tx *Tx) putOrganiserState(s OrganiserState) error {
	if s.Awaiting == 0 {
		return tx.tx.Bucket(bucketOrganisers).Delete(i64(s.UserID))
	}
	return putJSON(tx.tx.Bucket(bucketOrganisers), i64(s.UserID), s)
}

// NewAnnouncement starts a draft of organiser by in chatID, who reads
// lang, and makes it the one their next message fills; a draft still
// waiting for its message is cancelled.
func (tx *Tx) NewAnnouncement(by, chatID int64, lang string, at time.Time) (Announcement, error) {
	s, err := tx.OrganiserState(by)
	if err != nil {
		return Announcement{}, err
	}
	if s.Awaiting != 0 {
		if old, err := tx.Announcement(s.Awaiting); err == nil && old.Status == AnnouncementAwaiting {
			old.Status = AnnouncementCancelled
			if err := tx.putAnnouncement(old); err != nil {
				return Announcement{}, err
			}
		}
	}
	id, err := tx.tx.Bucket(bucketAnnouncements).NextSequence()
	if err != nil {
		return Announcement{}, err
	}
	a := Announcement{ID: id, By: by, ChatID: chatID, Lang: lang, Status: AnnouncementAwaiting, CreatedAt: at}
	if err := tx.putAnnouncement(a); err != nil {
		return Announcement{}, err
	}
	s.Awaiting = id
	return a, tx.putOrganiserState(s)
}

// CaptureAnnouncement makes message msgID of chatID the message of the
// draft organiser userID is awaiting, if any; ok is false when they await
// none. content names the kind of message ("text", "photo", …).
func (tx *Tx) CaptureAnnouncement(userID, chatID int64, msgID int, content string) (a Announcement, ok bool, err error) {
	s, err := tx.OrganiserState(userID)
	if err != nil || s.Awaiting == 0 {
		return Announcement{}, false, err
	}
	a, err = tx.Announcement(s.Awaiting)
	if errors.Is(err, ErrNotFound) {
		s.Awaiting = 0
		return Announcement{}, false, tx.putOrganiserState(s)
	}
	if err != nil {
		return Announcement{}, false, err
	}
	s.Awaiting = 0
	if err := tx.putOrganiserState(s); err != nil {
		return Announcement{}, false, err
	}
	if a.Status != AnnouncementAwaiting {
		return Announcement{}, false, nil
	}
	a.ChatID, a.MessageID, a.Content, a.Status = chatID, msgID, content, AnnouncementDraft
	return a, true, tx.putAnnouncement(a)
}

// Announcement returns announcement id, or ErrNotFound.
func (tx *Tx) Announcement(id uint64) (Announcement, error) {
	var a Announcement
	found, err := getJSON(tx.tx.Bucket(bucketAnnouncements), u64(id), &a)
	if err != nil {
		return a, err
	}
	if !found {
		return a, fmt.Errorf("announcement %d: %w", id, ErrNotFound)
	}
	return a, nil
}

func (tx *Tx) putAnnouncement(a Announcement) error {
	return putJSON(tx.tx.Bucket(bucketAnnouncements), u64(a.ID), a)
}

// SetAudience chooses the audience of draft id.
func (tx *Tx) SetAudience(id uint64, aud Audience) (Announcement, error) {
	a, err := tx.Announcement(id)
	if err != nil {
		return a, err
	}
	switch a.Status {
	case AnnouncementSent:
		return a, ErrAnnouncementSent
	case AnnouncementCancelled:
		return a, ErrAnnouncementCancelled
	case AnnouncementAwaiting:
		return a, ErrAnnouncementNotReady
	}
	a.Audience = aud
	return a, tx.putAnnouncement(a)
}

// CancelAnnouncement drops draft id. Cancelling twice changes nothing; a
// sent announcement returns ErrAnnouncementSent.
func (tx *Tx) CancelAnnouncement(id uint64) (Announcement, error) {
	a, err := tx.Announcement(id)
	if err != nil {
		return a, err
	}
	switch a.Status {
	case AnnouncementSent:
		return a, ErrAnnouncementSent
	case AnnouncementCancelled:
		return a, nil
	}
	s, err := tx.OrganiserState(a.By)
	if err != nil {
		return a, err
	}
	if s.Awaiting == id {
		s.Awaiting = 0
		if err := tx.putOrganiserState(s); err != nil {
			return a, err
		}
	}
	a.Status = AnnouncementCancelled
	return a, tx.putAnnouncement(a)
}

// SendAnnouncement puts draft id into the outbox: one KindAnnouncement
// entry per recipient of its audience, keyed AnnouncementKey, with Data
// announcement, from_chat and message_id. All of it happens in tx, so the
// announcement goes out to everyone or to nobody. When it was sent before,
// nothing changes and already is true.
func (tx *Tx) SendAnnouncement(id uint64, at time.Time) (a Announcement, already bool, err error) {
	a, err = tx.Announcement(id)
	if err != nil {
		return a, false, err
	}
	switch {
	case a.Status == AnnouncementSent:
		return a, true, nil
	case a.Status == AnnouncementCancelled:
		return a, false, ErrAnnouncementCancelled
	case a.Status != AnnouncementDraft || a.Audience == "" || a.MessageID == 0:
		return a, false, ErrAnnouncementNotReady
	}
	rs, err := tx.Recipients(a.Audience)
	if err != nil {
		return a, false, err
	}
	if len(rs) == 0 {
		return a, false, ErrNoRecipients
	}
	// The copies take the outbox's next ids, one after the other: no
	// other entry is enqueued within this transaction.
	outbox := tx.tx.Bucket(bucketOutbox)
	first := outbox.Sequence() + 1
	for _, r := range rs {
		_, err := tx.Enqueue(announcementEntry(a, r, at))
		if err != nil {
			return a, false, fmt.Errorf("send announcement %d: %w", a.ID, err)
		}
	}
	a.Status, a.Recipients, a.SentAt = AnnouncementSent, len(rs), at
	a.FirstCopy, a.LastCopy = first, outbox.Sequence()
	return a, false, tx.putAnnouncement(a)
}

// SetProgressMessage records the message in the organiser's chat that shows
// how announcement id goes out.
func (tx *Tx) SetProgressMessage(id uint64, msgID int) error {
	a, err := tx.Announcement(id)
	if err != nil {
		return err
	}
	a.ProgressID, a.ProgressSending = msgID, false
	return tx.putAnnouncement(a)
}

// BeginProgressMessage records, before the request, that the first
// progress message of announcement id is being sent (ProgressSending), so
// that a crash before its id is recorded sends no second one. When that
// message is the final report (final), the announcement counts as
// reported from now on: it is shown at most once.
func (tx *Tx) BeginProgressMessage(id uint64, final bool, at time.Time) error {
	a, err := tx.Announcement(id)
	if err != nil {
		return err
	}
	a.ProgressSending = true
	if final {
		a.ReportedAt = at
	}
	return tx.putAnnouncement(a)
}

// ProgressMessageNotSent undoes BeginProgressMessage when Telegram
// answered the request with a refusal: nothing reached the chat.
func (tx *Tx) ProgressMessageNotSent(id uint64) error {
	a, err := tx.Announcement(id)
	if err != nil {
		return err
	}
	if a.ProgressSending && a.ProgressID == 0 {
		a.ProgressSending, a.ReportedAt = false, time.Time{}
	}
	return tx.putAnnouncement(a)
}

// MarkReported records that the final report of announcement id was shown.
func (tx *Tx) MarkReported(id uint64, at time.Time) error {
	a, err := tx.Announcement(id)
	if err != nil {
		return err
	}
	a.ReportedAt = at
	return tx.putAnnouncement(a)
}

// ReportNotShown undoes MarkReported for announcement id: its report,
// marked shown before it was sent so that it goes at most once, surely did
// not go out (Telegram answered the request with an error), and is to be
// sent again.
func (tx *Tx) ReportNotShown(id uint64) error {
	return tx.MarkReported(id, time.Time{})
}

// RecentAnnouncements returns up to limit sent announcements, newest first.
func (tx *Tx) RecentAnnouncements(limit int) ([]Announcement, error) {
	var out []Announcement
	c := tx.tx.Bucket(bucketAnnouncements).Cursor()
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		var a Announcement
		if err := json.Unmarshal(v, &a); err != nil {
			return nil, fmt.Errorf("decode announcement: %w", err)
		}
		if a.Status == AnnouncementSent {
			out = append(out, a)
		}
	}
	return out, nil
}

// Unreported returns the sent announcements whose final report has not
// been shown, oldest first: the ones still going out, also after a restart.
func (db *DB) Unreported() ([]Announcement, error) {
	var out []Announcement
	err := db.View(func(tx *Tx) error {
		return tx.tx.Bucket(bucketAnnouncements).ForEach(func(_, v []byte) error {
			var a Announcement
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("decode announcement: %w", err)
			}
			if a.Status == AnnouncementSent && a.ReportedAt.IsZero() {
				out = append(out, a)
			}
			return nil
		})
	})
	return out, err
}

// Recipients returns the chats of audience a, each person once, by user
// id. Batch audiences, AudienceCourse and AudienceAll take people holding
// a seat, AudienceCourseWaiting and AudienceWaiting people on a waiting
// list, AudienceApplicants those in a batch's selection (inSelection; a
// selected person who confirmed holds a seat and is among them),
// AudienceEveryone everyone with
// a conversation (everyone who talked to the bot and was not erased).
func (tx *Tx) Recipients(a Audience) ([]Recipient, error) {
	seen := map[int64]int64{}
	switch batch, isBatch := a.Batch(); {
	case isBatch:
		ps, err := tx.RegisteredIn(batch)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			seen[p.UserID] = p.ChatID
		}
	case isApplicants(a):
		batch, _ := a.Applicants()
		ps, err := tx.ParticipantsIn(batch)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if inSelection(p.Status) || p.Status == StatusRegistered {
				seen[p.UserID] = p.ChatID
			}
		}
	case isCourseAudience(a):
		_, batches, waiting, _ := a.Course()
		want := StatusRegistered
		if waiting {
			want = StatusWaiting
		}
		for _, b := range batches {
			ps, err := tx.ParticipantsIn(b)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				if p.Status == want {
					seen[p.UserID] = p.ChatID
				}
			}
		}
	case a == AudienceAll || a == AudienceWaiting:
		want := StatusRegistered
		if a == AudienceWaiting {
			want = StatusWaiting
		}
		ps, err := tx.Participants()
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if p.Status == want {
				seen[p.UserID] = p.ChatID
			}
		}
	case a == AudienceEveryone:
		err := tx.tx.Bucket(bucketConversations).ForEach(func(_, v []byte) error {
			var c struct {
				UserID int64 `json:"user_id"`
				ChatID int64 `json:"chat_id"`
			}
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("decode conversation: %w", err)
			}
			seen[c.UserID] = c.ChatID
			return nil
		})
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown audience %q", a)
	}
	out := make([]Recipient, 0, len(seen))
	for u, chat := range seen {
		if IsWalkIn(u) {
			continue // no Telegram account yet: nothing can reach them
		}
		if chat == 0 {
			chat = u // a private chat's id is the user's
		}
		out = append(out, Recipient{UserID: u, ChatID: chat})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out, nil
}

func isApplicants(a Audience) bool {
	_, ok := a.Applicants()
	return ok
}

func isCourseAudience(a Audience) bool {
	_, _, _, ok := a.Course()
	return ok
}
