package bot

var paperMessagesID = PaperMessages{
	CmdCertificate:     "Sertifikat saya",
	CmdVerify:          "Periksa keaslian sertifikat",
	CmdCertificates:    "Sertifikat per angkatan (kirim ke peserta)",
	CmdAttendanceSheet: "Daftar hadir (PDF)",
	CmdReport:          "Laporan kegiatan (PDF)",

	CertSending:        "📜 Sertifikat <b>%s</b> Anda (nomor %s) dikirim sebagai PDF sebentar lagi.",
	CertNotYet:         "Sertifikat <b>%s</b> dibuat setelah sesi terakhir selesai (%s). Kehadiran Anda sejauh ini: %d dari %d hari; syaratnya hadir minimal %d hari.",
	CertTooFew:         "Belum ada sertifikat <b>%s</b> untuk Anda: Anda tercatat hadir %d dari %d hari, syaratnya minimal %d hari. Jika catatan ini keliru, hubungi panitia.",
	CertNotSeated:      "Sertifikat <b>%s</b> hanya untuk peserta yang mendapat kursi dan hadir.",
	CertNone:           "Pelatihan ini tidak memberikan sertifikat.",
	CertNoRegistration: "Anda belum terdaftar di angkatan mana pun, jadi belum ada sertifikat. Ketik /start untuk mendaftar.",
	CertCaption:        "Sertifikat %s, %s\nNomor %s · kode verifikasi <code>%s</code>",

	VerifyAsk:      "Kirim <code>/cek KODE</code> dengan kode verifikasi yang tertulis di sertifikat (12 huruf dan angka), atau pindai kode QR-nya.",
	VerifyFound:    "✅ <b>Sertifikat asli.</b>\nNomor: %s\nNama: %s\nPelatihan: %s\nAngkatan: %s (%s)",
	VerifyNotFound: "❌ Tidak ada sertifikat dengan kode <code>%s</code>. Periksa lagi kodenya. Sertifikat yang datanya sudah dihapus juga tidak bisa diperiksa lagi.",

	CertAskBatch:    "Sertifikat angkatan mana? Kirim <code>/sertifikat ID</code>, ID salah satu dari: %s",
	CertOrgNotYet:   "<b>%s</b> belum selesai: sertifikat dibuat setelah sesi terakhir (%s).",
	CertOrgSummary:  "📜 <b>Sertifikat %s</b>\nBerhak (hadir minimal %d dari %d hari): <b>%d</b>\nTidak berhak: %d\nSudah diterbitkan: %d\n\n<b>Kirim</b> menerbitkan yang belum ada, mengirim sertifikat masing-masing ke setiap peserta yang berhak, dan PDF gabungan untuk dicetak ke Anda.",
	CertOrgNobody:   "Tidak ada peserta <b>%s</b> yang hadir minimal %d hari: tidak ada sertifikat.",
	CertOrgSent:     "📜 Sertifikat <b>%s</b>: %d diterbitkan, %d masuk antrean kirim ke peserta. PDF gabungan menyusul.",
	CertOrgFailed:   "Maaf, PDF sertifikat gagal dibuat. Coba lagi sebentar lagi.",
	LogCertificates: "sertifikat %s dikirim (%s)",

	SheetAskBatch: "Daftar hadir angkatan mana? Kirim <code>/daftarhadir ID</code>, ID salah satu dari: %s",
	SheetCaption:  "Daftar hadir %s: %d peserta × %d hari",
	SheetFailed:   "Maaf, daftar hadir gagal dibuat. Coba lagi sebentar lagi.",

	ReportAskBatch: "Laporan angkatan mana? Kirim <code>/laporan ID</code>, ID salah satu dari: %s",
	ReportCaption:  "Laporan kegiatan %s",
	ReportFailed:   "Maaf, laporan gagal dibuat. Coba lagi sebentar lagi.",
}
