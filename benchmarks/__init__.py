"""Performance figures of the KTMSC Self-Check (``make bench``); see README.md in this folder."""
