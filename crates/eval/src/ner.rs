//! Named-entity recognition scored on CoNLL-2003 (entity-level exact-match micro F1, as conlleval) (issue 4).
//! (being built)
