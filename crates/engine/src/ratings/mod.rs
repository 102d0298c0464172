//! Ratings from battle logs: online Elo, Bradley–Terry, confidence intervals, style control.
