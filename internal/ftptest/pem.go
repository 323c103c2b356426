package ftptest

import "encoding/pem"

// CertPEM returns the server's certificate in PEM form, for clients that
// read their trust anchors from a file (SSL_CERT_FILE).
func (s *Server) CertPEM() []byte {
	if s.cert.Leaf == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.cert.Leaf.Raw})
}
