//! A virtual camera: serves a directory over PTP/IP with ptp-core's
//! responder engine.
