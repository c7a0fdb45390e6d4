package store

import (
	"crypto/rand"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Why a participant gets no certificate (Tx.IssueCertificate).
var (
	// ErrNoCertificates is returned when the course gives none
	// (certificate_min_days = 0).
	ErrNoCertificates = errors.New("the course gives no certificates")
	// ErrCertificateNotYet is returned before the batch's last session
	// has ended: attendance is not final until then.
	ErrCertificateNotYet = errors.New("the batch's last session has not ended")
	// ErrNotEligible is returned for a participant without a seat
	// (waiting, cancelled) or present on fewer days than the course asks.
	ErrNotEligible = errors.New("not eligible for a certificate")
)

// Certificate is the certificate of one participant of one batch. It is
// issued once (Tx.IssueCertificate) and never changes: the same number
// and code after a restart, whatever the config says later. It is
// personal data and goes with the registration (Tx.Erase,
// Tx.RetireBatch): an erased person's certificate no longer verifies.
type Certificate struct {
	Batch  string `json:"batch"`
	UserID int64  `json:"user_id"`
	Seq    int    `json:"seq"`    // 1, 2, … in the order of issue, per batch; never reused
	Number string `json:"number"` // Seq in the course's number format, as printed
	// Code is the verification code (CertificateCode): random, so that
	// nobody can guess another person's.
	Code        string    `json:"code"`
	Name        string    `json:"name"`         // the participant's name as printed
	DaysPresent int       `json:"days_present"` // when issued
	IssuedAt    time.Time `json:"issued_at"`
}

var (
	bucketCertificates     = []byte("certificates")      // participant key (batch, 0, user) → Certificate
	bucketCertificateCodes = []byte("certificate_codes") // code → participant key
)

// CertificateDue reports whether the certificates of b can be issued at
// now: its last session day has ended (SessionEnd), so its roll calls
// are complete.
func CertificateDue(b Batch, now time.Time) bool {
	return !now.Before(b.SessionEnd(b.Days))
}

// IssueCertificate returns the certificate of userID in batch b of c,
// issuing it when there is none yet: the next number of the batch in
// format (CertificateNumber) and a new random code. Issued once, it is
// returned as it was, whatever the format or the attendance say later.
//
// It returns ErrNotFound when userID has no registration in b, and when
// none is issued yet ErrNoCertificates, ErrCertificateNotYet or
// ErrNotEligible (status and days present as Course.CertificateEligible
// judges them).
func (tx *Tx) IssueCertificate(c Course, b Batch, userID int64, format string, now time.Time) (Certificate, error) {
	if cert, err := tx.Certificate(b.ID, userID); !errors.Is(err, ErrNotFound) {
		return cert, err
	}
	p, err := tx.Participant(b.ID, userID)
	if err != nil {
		return Certificate{}, err
	}
	switch {
	case c.CertificateMinDays <= 0:
		return Certificate{}, ErrNoCertificates
	case !CertificateDue(b, now):
		return Certificate{}, ErrCertificateNotYet
	}
	days, err := tx.DaysPresent(b.ID, userID)
	if err != nil {
		return Certificate{}, err
	}
	if !c.CertificateEligible(p.Status, days) {
		return Certificate{}, ErrNotEligible
	}
	s, err := tx.batchState(b.ID)
	if err != nil {
		return Certificate{}, err
	}
	s.Certificates++
	code, err := tx.newCertificateCode()
	if err != nil {
		return Certificate{}, err
	}
	cert := Certificate{
		Batch: b.ID, UserID: userID, Seq: s.Certificates,
		Number: CertificateNumber(format, s.Certificates, b),
		Code:   code, Name: c.DisplayName(p), DaysPresent: days, IssuedAt: now,
	}
	key := participantKey(b.ID, userID)
	if err := putJSON(tx.tx.Bucket(bucketCertificates), key, cert); err != nil {
		return Certificate{}, fmt.Errorf("issue certificate of %s: %w", b.ID, err)
	}
	if err := tx.tx.Bucket(bucketCertificateCodes).Put([]byte(code), key); err != nil {
		return Certificate{}, err
	}
	return cert, tx.putBatchState(b.ID, s)
}

// IssueCertificates issues the certificate of every participant of b who
// earns one (IssueCertificate) and returns all the batch's certificates
// in the order of their numbers. Before the last session has ended it
// returns ErrCertificateNotYet, for a course without certificates
// ErrNoCertificates.
func (tx *Tx) IssueCertificates(c Course, b Batch, format string, now time.Time) ([]Certificate, error) {
	if c.CertificateMinDays <= 0 {
		return nil, ErrNoCertificates
	}
	if !CertificateDue(b, now) {
		return nil, ErrCertificateNotYet
	}
	ps, err := tx.ParticipantsIn(b.ID)
	if err != nil {
		return nil, err
	}
	// In seat order, so that the numbers follow the list.
	for _, p := range ps {
		if p.Status != StatusRegistered {
			continue
		}
		if _, err := tx.IssueCertificate(c, b, p.UserID, format, now); err != nil && !errors.Is(err, ErrNotEligible) {
			return nil, err
		}
	}
	return tx.Certificates(b.ID)
}

// Certificate returns the certificate of userID in batch, or ErrNotFound
// when none was issued.
func (tx *Tx) Certificate(batch string, userID int64) (Certificate, error) {
	var cert Certificate
	found, err := getJSON(tx.tx.Bucket(bucketCertificates), participantKey(batch, userID), &cert)
	if err != nil {
		return cert, err
	}
	if !found {
		return cert, ErrNotFound
	}
	return cert, nil
}

// Certificates returns the certificates issued in batch, by number.
func (tx *Tx) Certificates(batch string) ([]Certificate, error) {
	var out []Certificate
	prefix := append([]byte(batch), 0)
	c := tx.tx.Bucket(bucketCertificates).Cursor()
	for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
		var cert Certificate
		if _, err := getJSON(tx.tx.Bucket(bucketCertificates), k, &cert); err != nil {
			return nil, err
		}
		out = append(out, cert)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, nil
}

// VerifyCertificate returns the certificate whose verification code is
// code, as a person types it (case and the look-alikes o, i, l do not
// matter; spaces and dashes are ignored), or ErrNotFound: made up, or the
// person's data was erased.
func (tx *Tx) VerifyCertificate(code string) (Certificate, error) {
	code, ok := NormalizeCertificateCode(code)
	if !ok {
		return Certificate{}, ErrNotFound
	}
	key := tx.tx.Bucket(bucketCertificateCodes).Get([]byte(code))
	if key == nil {
		return Certificate{}, ErrNotFound
	}
	var cert Certificate
	found, err := getJSON(tx.tx.Bucket(bucketCertificates), key, &cert)
	if err != nil {
		return cert, err
	}
	if !found || cert.Code != code {
		return Certificate{}, ErrNotFound
	}
	return cert, nil
}

// deleteCertificate removes the certificate of userID in batch and its
// code, when there is one.
func (tx *Tx) deleteCertificate(batch string, userID int64) error {
	cert, err := tx.Certificate(batch, userID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.tx.Bucket(bucketCertificateCodes).Delete([]byte(cert.Code)); err != nil {
		return err
	}
	return tx.tx.Bucket(bucketCertificates).Delete(participantKey(batch, userID))
}

// CertificateCodeLen is the length of a verification code: 12 characters
// of Crockford's base32, 60 random bits, so that guessing one among even
// a million issued takes about 10^12 tries.
const CertificateCodeLen = 12

const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

func (tx *Tx) newCertificateCode() (string, error) {
	for range 8 {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("certificate code: %w", err)
		}
		v := uint64(0)
		for _, x := range b {
			v = v<<8 | uint64(x)
		}
		code := make([]byte, CertificateCodeLen)
		for i := range code {
			code[i] = crockford[v&31]
			v >>= 5
		}
		if tx.tx.Bucket(bucketCertificateCodes).Get(code) == nil {
			return string(code), nil
		}
	}
	return "", errors.New("certificate code: no free code found")
}

// NormalizeCertificateCode returns code in the form it is stored in:
// lower case, without spaces and dashes, o read as 0, i and l as 1 (the
// letters Crockford's base32 leaves out because they look alike). ok is
// false when it cannot be a code.
func NormalizeCertificateCode(code string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		switch r {
		case ' ', '-', '_':
			continue
		case 'o':
			r = '0'
		case 'i', 'l':
			r = '1'
		}
		if r > 127 || strings.IndexByte(crockford, byte(r)) < 0 {
			return "", false
		}
		b.WriteRune(r)
		if b.Len() > CertificateCodeLen {
			return "", false
		}
	}
	if b.Len() != CertificateCodeLen {
		return "", false
	}
	return b.String(), true
}

// CertificateNumber formats seq, the number of a certificate of b, in
// format: {seq} is the number (e.g. {seq:03} zero-padded to three
// digits), {batch} the batch id, {year} the year of its last session day.
// Text outside the braces is kept. CheckNumberFormat tells a format this
// cannot read; an empty format is "{seq}".
func CertificateNumber(format string, seq int, b Batch) string {
	if format == "" {
		format = "{seq}"
	}
	var out strings.Builder
	for {
		i := strings.IndexByte(format, '{')
		if i < 0 {
			out.WriteString(format)
			return out.String()
		}
		j := strings.IndexByte(format[i:], '}')
		if j < 0 {
			out.WriteString(format)
			return out.String()
		}
		out.WriteString(format[:i])
		out.WriteString(placeholder(format[i+1:i+j], seq, b))
		format = format[i+j+1:]
	}
}

func placeholder(name string, seq int, b Batch) string {
	switch {
	case name == "batch":
		return b.ID
	case name == "year":
		return strconv.Itoa(b.End().Year())
	case name == "seq":
		return strconv.Itoa(seq)
	case strings.HasPrefix(name, "seq:0"):
		if w, err := strconv.Atoi(name[len("seq:0"):]); err == nil && w > 0 && w <= 9 {
			return fmt.Sprintf("%0*d", w, seq)
		}
	}
	return "{" + name + "}"
}

// CheckNumberFormat returns why format is no certificate number format,
// nil when it is one: every {…} must be {seq}, {seq:0N} (N from 1 to 9),
// {batch} or {year}, braces must pair, and {seq} must be there (or the
// numbers would not differ).
func CheckNumberFormat(format string) error {
	if format == "" {
		return nil
	}
	seq := false
	rest := format
	for {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			break
		}
		if rest[i] == '}' {
			return fmt.Errorf("a } without its {")
		}
		j := strings.IndexAny(rest[i+1:], "{}")
		if j < 0 || rest[i+1+j] != '}' {
			return fmt.Errorf("a { without its }")
		}
		name := rest[i+1 : i+1+j]
		if placeholder(name, 1, Batch{}) == "{"+name+"}" {
			return fmt.Errorf("unknown placeholder {%s}: use {seq}, {seq:03}, {batch} or {year}", name)
		}
		if strings.HasPrefix(name, "seq") {
			seq = true
		}
		rest = rest[i+1+j+1:]
	}
	if !seq {
		return fmt.Errorf("no {seq}: every certificate would get the same number")
	}
	return nil
}
