// Suggestions offered when describing a body map mark, shared by the bot's body map dialog page
// and the tab's concern form so both offer the same words.
export const MARK_COLOURS = ["Red", "Pink", "Purple", "Blue", "Green", "Yellow", "Brown", "Black", "Grey"];
export const MARK_SHAPES = ["Bruise", "Cut", "Graze", "Scratch", "Burn", "Bite", "Mark", "Swelling"];
