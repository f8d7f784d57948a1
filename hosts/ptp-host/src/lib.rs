//! The host side of the initiator: USB and PTP/IP transports and a session
//! API over ptp-core's initiator engine.
