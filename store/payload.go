package store

import (
	"fmt"
	"strconv"
	"time"
)

// The payloads of outbox entries. On disk an entry's payload is a map of
// strings (OutboxEntry.Data, JSON "data") whose keys are persisted: only
// add. Entries are built with the constructors here and read with the
// readers, so that no other package writes or reads a key.

// Slot is which reminder of a session day: the evening before or the
// morning of. Persisted in outbox keys and payloads: only add.
type Slot string

// Reminder slots.
const (
	Evening Slot = "evening" // the evening before a session day
	Morning Slot = "morning" // the morning of a session day, before it starts
)

// Reminder is one reminder of one session day of a batch: what the
// scheduler enqueues and the organisers' /jadwal lists.
type Reminder struct {
	Batch string    // the batch id
	Day   int       // the session day it is about, 1-based
	Slot  Slot      // Evening or Morning
	At    time.Time // when it is due, in the batch's time zone
}

// ReminderPayload is what a KindReminder entry reminds of.
type ReminderPayload struct {
	Batch string
	Day   int
	Slot  Slot
}

// ReminderKey is the idempotency key of reminder r to userID. Persisted:
// never change its form.
func ReminderKey(r ReminderPayload, userID int64) string {
	return fmt.Sprintf("reminder/%s/%d/%s/%d", r.Batch, r.Day, r.Slot, userID)
}

// ReminderEntry is the outbox entry that sends reminder r to p.
func ReminderEntry(r ReminderPayload, p Participant, now time.Time) OutboxEntry {
	return OutboxEntry{
		Key:    ReminderKey(r, p.UserID),
		Kind:   KindReminder,
		ChatID: p.ChatID,
		UserID: p.UserID,
		Data: map[string]string{
			"batch": r.Batch,
			"day":   strconv.Itoa(r.Day),
			"slot":  string(r.Slot),
		},
		CreatedAt: now,
	}
}

// Reminder reads the payload of a KindReminder entry.
func (e OutboxEntry) Reminder() (ReminderPayload, error) {
	if e.Kind != KindReminder {
		return ReminderPayload{}, fmt.Errorf("outbox %d is a %s, not a reminder", e.ID, e.Kind)
	}
	day, err := strconv.Atoi(e.Data["day"])
	if err != nil {
		return ReminderPayload{}, fmt.Errorf("reminder day %q", e.Data["day"])
	}
	return ReminderPayload{Batch: e.Data["batch"], Day: day, Slot: Slot(e.Data["slot"])}, nil
}

// OfferPayload is what a KindOffer entry offers: a seat in Batch, to be
// taken before Until.
type OfferPayload struct {
	Batch string
	Until time.Time
}

func offerEntry(o Offer, now time.Time) OutboxEntry {
	return OutboxEntry{
		Key:    o.Key,
		Kind:   KindOffer,
		ChatID: o.ChatID, UserID: o.UserID,
		Data:      map[string]string{"batch": o.Batch, "until": o.Until.Format(time.RFC3339)},
		CreatedAt: now,
	}
}

// Offer reads the payload of a KindOffer entry.
func (e OutboxEntry) Offer() (OfferPayload, error) {
	if e.Kind != KindOffer {
		return OfferPayload{}, fmt.Errorf("outbox %d is a %s, not an offer", e.ID, e.Kind)
	}
	p := OfferPayload{Batch: e.Data["batch"]}
	if s := e.Data["until"]; s != "" {
		until, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return OfferPayload{}, fmt.Errorf("offer until %q", s)
		}
		p.Until = until
	}
	return p, nil
}

// Notice is which notice a KindNotice entry sends. Persisted: only add.
type Notice string

// Notices.
const (
	NoticeOfferExpired   Notice = "offer_expired"   // a seat offer ended unanswered
	NoticeOfferWithdrawn Notice = "offer_withdrawn" // registration closed: the offer is gone, the waiting place stays
)

// NoticePayload is what a KindNotice entry tells, about Batch.
type NoticePayload struct {
	Notice Notice
	Batch  string
}

func noticeEntry(key string, n NoticePayload, chat, user int64, now time.Time) OutboxEntry {
	return OutboxEntry{
		Key:    key,
		Kind:   KindNotice,
		ChatID: chat, UserID: user,
		Data:      map[string]string{"notice": string(n.Notice), "batch": n.Batch},
		CreatedAt: now,
	}
}

// Notice reads the payload of a KindNotice entry.
func (e OutboxEntry) Notice() (NoticePayload, error) {
	if e.Kind != KindNotice {
		return NoticePayload{}, fmt.Errorf("outbox %d is a %s, not a notice", e.ID, e.Kind)
	}
	return NoticePayload{Notice: Notice(e.Data["notice"]), Batch: e.Data["batch"]}, nil
}

// AnnouncementCopy is what a KindAnnouncement entry copies: message
// MessageID of chat FromChat, for announcement Announcement.
type AnnouncementCopy struct {
	Announcement uint64
	FromChat     int64
	MessageID    int
}

func announcementEntry(a Announcement, r Recipient, at time.Time) OutboxEntry {
	return OutboxEntry{
		Key: AnnouncementKey(a.ID, r.UserID), Kind: KindAnnouncement,
		ChatID: r.ChatID, UserID: r.UserID,
		Data: map[string]string{
			"announcement": strconv.FormatUint(a.ID, 10),
			"from_chat":    strconv.FormatInt(a.ChatID, 10),
			"message_id":   strconv.Itoa(a.MessageID),
		},
		CreatedAt: at,
	}
}

// AnnouncementCopy reads the payload of a KindAnnouncement entry.
func (e OutboxEntry) AnnouncementCopy() (AnnouncementCopy, error) {
	if e.Kind != KindAnnouncement {
		return AnnouncementCopy{}, fmt.Errorf("outbox %d is a %s, not an announcement", e.ID, e.Kind)
	}
	id, err0 := strconv.ParseUint(e.Data["announcement"], 10, 64)
	from, err1 := strconv.ParseInt(e.Data["from_chat"], 10, 64)
	msg, err2 := strconv.Atoi(e.Data["message_id"])
	if err1 != nil || err2 != nil || from == 0 || msg <= 0 {
		return AnnouncementCopy{}, fmt.Errorf("announcement %s: bad source %q/%q", e.Data["announcement"], e.Data["from_chat"], e.Data["message_id"])
	}
	if err0 != nil {
		id = 0 // only named in reports: the copy can still go
	}
	return AnnouncementCopy{Announcement: id, FromChat: from, MessageID: msg}, nil
}

// Document is which file a KindDocument entry sends. Persisted: only add.
type Document string

// Documents.
const (
	DocCertificate Document = "certificate" // the recipient's certificate of Batch
)

// DocumentPayload is what a KindDocument entry sends: the document Doc of
// Batch, made from the store when it is sent (a certificate erased since
// is not sent).
type DocumentPayload struct {
	Doc   Document
	Batch string
}

// CertificateKey is the idempotency key of the certificate of userID in
// batch sent for request (an update id, or "organiser" for the
// organisers' Kirim, which sends each person theirs once). Persisted:
// never change its form.
func CertificateKey(batch string, userID int64, request string) string {
	return fmt.Sprintf("certificate/%s/%d/%s", batch, userID, request)
}

// CertificateEntry is the outbox entry that sends cert to the person at
// chat, for request (CertificateKey).
func CertificateEntry(cert Certificate, chat int64, request string, now time.Time) OutboxEntry {
	return OutboxEntry{
		Key:    CertificateKey(cert.Batch, cert.UserID, request),
		Kind:   KindDocument,
		ChatID: chat, UserID: cert.UserID,
		Data:      map[string]string{"doc": string(DocCertificate), "batch": cert.Batch},
		CreatedAt: now,
	}
}

// Document reads the payload of a KindDocument entry.
func (e OutboxEntry) Document() (DocumentPayload, error) {
	if e.Kind != KindDocument {
		return DocumentPayload{}, fmt.Errorf("outbox %d is a %s, not a document", e.ID, e.Kind)
	}
	return DocumentPayload{Doc: Document(e.Data["doc"]), Batch: e.Data["batch"]}, nil
}

// SurveyPayload is what a KindSurvey entry sends: the survey of Batch at
// the question the person is at, or, Reminder, a reminder of it.
type SurveyPayload struct {
	Batch    string
	Reminder bool
}

// SurveyKey is the idempotency key of the survey of batch to userID, or
// of its reminder. Persisted: never change its form.
func SurveyKey(batch string, userID int64, reminder bool) string {
	k := fmt.Sprintf("survey/%s/%d", batch, userID)
	if reminder {
		k += "/reminder"
	}
	return k
}

// SurveyEntry is the outbox entry that sends the survey of batch (or its
// reminder) to p.
func SurveyEntry(batch string, p Participant, reminder bool, now time.Time) OutboxEntry {
	data := map[string]string{"batch": batch}
	if reminder {
		data["reminder"] = "1"
	}
	return OutboxEntry{
		Key: SurveyKey(batch, p.UserID, reminder), Kind: KindSurvey,
		ChatID: p.ChatID, UserID: p.UserID, Data: data, CreatedAt: now,
	}
}

// Survey reads the payload of a KindSurvey entry.
func (e OutboxEntry) Survey() (SurveyPayload, error) {
	if e.Kind != KindSurvey {
		return SurveyPayload{}, fmt.Errorf("outbox %d is a %s, not a survey", e.ID, e.Kind)
	}
	return SurveyPayload{Batch: e.Data["batch"], Reminder: e.Data["reminder"] == "1"}, nil
}
