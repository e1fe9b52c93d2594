-- Reserved for the salesforce_sync work; filled in by that change.
select 1;
