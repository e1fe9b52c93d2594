-- Reserved for the analytics work; filled in by that change.
select 1;
