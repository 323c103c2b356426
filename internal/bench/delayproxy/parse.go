package delayproxy

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

var errReply = errors.New("delayproxy: unreadable passive reply")

// parsePASV reads the address of a 227 reply: the first run of six
// comma-separated numbers h1,h2,h3,h4,p1,p2 after the code, with or
// without parentheses (RFC 1123 section 4.1.2.6 asks clients to scan for
// it rather than rely on the format).
func parsePASV(line string) (ip net.IP, port int, err error) {
	text := line[4:]
	start := strings.IndexAny(text, "0123456789")
	if start < 0 {
		return nil, 0, errReply
	}
	end := start
	for end < len(text) && (text[end] == ',' || text[end] >= '0' && text[end] <= '9') {
		end++
	}
	fields := strings.Split(text[start:end], ",")
	if len(fields) != 6 {
		return nil, 0, errReply
	}
	var n [6]int
	for i, f := range fields {
		v, err := strconv.Atoi(f)
		if err != nil || v < 0 || v > 255 {
			return nil, 0, errReply
		}
		n[i] = v
	}
	ip = net.IPv4(byte(n[0]), byte(n[1]), byte(n[2]), byte(n[3]))
	return ip, n[4]<<8 | n[5], nil
}

// parseEPSV reads the port of a 229 reply, "(|||port|)" with any
// delimiter (RFC 2428 section 3).
func parseEPSV(line string) (int, error) {
	open := strings.IndexByte(line, '(')
	end := strings.LastIndexByte(line, ')')
	if open < 0 || end < open+5 {
		return 0, errReply
	}
	inner := line[open+1 : end]
	d := inner[0]
	if len(inner) < 5 || inner[1] != d || inner[2] != d || inner[len(inner)-1] != d {
		return 0, errReply
	}
	port, err := strconv.Atoi(inner[3 : len(inner)-1])
	if err != nil || port < 1 || port > 65535 {
		return 0, errReply
	}
	return port, nil
}

// formatPASV returns a 227 reply naming host (an IPv4 address) and port.
func formatPASV(host string, port int) (string, error) {
	ip := net.ParseIP(host).To4()
	if ip == nil {
		return "", fmt.Errorf("delayproxy: %q is not an IPv4 address", host)
	}
	return fmt.Sprintf("227 Entering Passive Mode (%d,%d,%d,%d,%d,%d).\r\n",
		ip[0], ip[1], ip[2], ip[3], port>>8, port&0xff), nil
}

// formatEPSV returns a 229 reply naming port.
func formatEPSV(port int) string {
	return fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)\r\n", port)
}
