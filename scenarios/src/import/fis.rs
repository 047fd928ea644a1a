//! FIS experiment templates into disasters.
