"""The union's publishing bot: features as packages over shared mechanisms (see README)."""
